package setup_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// fakeGitHub stands in for GitHub's side of the App-manifest flow: the "new
// App" page, which here approves at once and sends the browser back with a
// code, and the code's conversion endpoint.
type fakeGitHub struct {
	AppID         int64
	WebhookSecret string
	PrivateKey    string

	mu        sync.Mutex
	codes     map[string]bool // code → already converted
	manifests []map[string]any
	paths     []string // where manifests were posted
}

func newFakeGitHub(appID int64, secret, pemKey string) *fakeGitHub {
	return &fakeGitHub{AppID: appID, WebhookSecret: secret, PrivateKey: pemKey, codes: map[string]bool{}}
}

// Handles reports whether r is one of the fake's routes (for ghsim.SetIntercept).
func (f *fakeGitHub) Handles(r *http.Request) bool {
	return r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/settings/apps/new") ||
		strings.HasPrefix(r.URL.Path, "/app-manifests/") || strings.HasPrefix(r.URL.Path, "/api/v3/app-manifests/"))
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/settings/apps/new"):
		f.newApp(w, r)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/conversions"):
		f.convert(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeGitHub) newApp(w http.ResponseWriter, r *http.Request) {
	var m map[string]any
	if err := json.Unmarshal([]byte(r.PostFormValue("manifest")), &m); err != nil {
		http.Error(w, "bad manifest: "+err.Error(), http.StatusUnprocessableEntity)
		return
	}
	redirect, _ := m["redirect_url"].(string)
	f.mu.Lock()
	code := fmt.Sprintf("code-%d", len(f.codes)+1)
	f.codes[code] = false
	f.manifests = append(f.manifests, m)
	f.paths = append(f.paths, r.URL.Path)
	f.mu.Unlock()
	q := url.Values{"code": {code}, "state": {r.URL.Query().Get("state")}}
	http.Redirect(w, r, redirect+"?"+q.Encode(), http.StatusFound)
}

func (f *fakeGitHub) convert(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimSuffix(r.URL.Path, "/conversions"), "/")
	code := parts[len(parts)-1]
	f.mu.Lock()
	used, ok := f.codes[code]
	f.codes[code] = true
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !ok || used {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest"}`)
		return
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"id": f.AppID, "slug": "cohortbot", "html_url": "https://github.example/apps/cohortbot",
		"pem": f.PrivateKey, "webhook_secret": f.WebhookSecret, "client_id": "Iv1.abc", "client_secret": "shh",
	})
}

func (f *fakeGitHub) lastManifest() (map[string]any, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.manifests) == 0 {
		return nil, ""
	}
	return f.manifests[len(f.manifests)-1], f.paths[len(f.paths)-1]
}

var (
	keyOnce sync.Once
	keyPEM  string
)

// testKey is a real RSA key, so the written credentials pass config's checks.
func testKey() string {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	})
	return keyPEM
}
