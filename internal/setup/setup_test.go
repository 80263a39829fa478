package setup_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/setup"
)

func appYML(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rig is a set-up server in front of the simulated GitHub, and the
// operator's browser (client, with a cookie jar) that opened the set-up URL.
type rig struct {
	sim      *ghsim.Sim
	srv      *httptest.Server
	opts     setup.Options
	now      time.Time
	reported []setup.Credentials
	client   *http.Client
	handler  http.Handler // what srv serves, for requests net/http cannot send
}

// rigKey is the App key of every rig's simulated GitHub, generated once per
// package run: a 2048-bit key costs a good part of a second of CPU.
var rigKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func newRig(t *testing.T, adjust func(*setup.Options)) *rig {
	t.Helper()
	r := &rig{now: time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)}
	key, err := rigKey()
	if err != nil {
		t.Fatal(err)
	}
	r.sim = ghsim.New(ghsim.Options{Key: key, OnUnknown: func(m, p string) { t.Errorf("simulated GitHub: unhandled %s %s", m, p) }})
	t.Cleanup(r.sim.Close)
	token, err := setup.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	r.opts = setup.Options{
		Token:           token,
		ManifestYAML:    appYML(t),
		PublicURL:       "https://cohortbot.example.org",
		WebURL:          r.sim.URL(),
		APIURL:          r.sim.URL() + "/",
		CredentialsPath: filepath.Join(t.TempDir(), "credentials.yml"),
		Now:             func() time.Time { return r.now },
		OnRegistered: func(c setup.Credentials, path string) {
			if path != r.opts.CredentialsPath && path != fmt.Sprintf("%s.%d", r.opts.CredentialsPath, c.AppID) {
				t.Errorf("OnRegistered: path %q", path)
			}
			r.reported = append(r.reported, c)
		},
	}
	if adjust != nil {
		adjust(&r.opts)
	}
	r.handler = setup.New(r.opts)
	r.srv = httptest.NewServer(r.handler)
	t.Cleanup(r.srv.Close)
	r.client = newBrowser(t)
	if r.opts.Token == "" {
		return r
	}
	if status, page := r.get(t, r.srv.URL+"/?token="+r.opts.Token); status != http.StatusOK {
		t.Fatalf("opening the set-up URL: status %d:\n%s", status, page)
	}
	return r
}

// newBrowser is an HTTP client that keeps cookies, as a browser does.
func newBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// get fetches u in the operator's browser.
func (r *rig) get(t *testing.T, u string) (int, string) {
	t.Helper()
	return fetch(t, r.client, u)
}

// get fetches u without cookies, as a stranger would.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	return fetch(t, http.DefaultClient, u)
}

func fetch(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	actionRE   = regexp.MustCompile(`<form id="register" action="([^"]*)"`)
	manifestRE = regexp.MustCompile(`name="manifest" value="([^"]*)"`)
)

// form extracts the registration form's target and manifest from the page.
func form(t *testing.T, page string) (string, map[string]any) {
	t.Helper()
	a, m := actionRE.FindStringSubmatch(page), manifestRE.FindStringSubmatch(page)
	if a == nil || m == nil {
		t.Fatalf("no registration form in page:\n%s", page)
	}
	var manifest map[string]any
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &manifest); err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(a[1]), manifest
}

func TestIndexPage(t *testing.T) {
	tests := []struct {
		name       string
		adjust     func(*setup.Options)
		query      string
		wantPath   string   // path the form posts to; "" means no form
		wantInPage []string // problems shown
	}{
		{name: "personal account", wantPath: "/settings/apps/new"},
		{name: "organization from options", adjust: func(o *setup.Options) { o.Org = "kubernetes" }, wantPath: "/organizations/kubernetes/settings/apps/new"},
		{name: "organization from the page", query: "?org=my-org", wantPath: "/organizations/my-org/settings/apps/new"},
		{name: "bad organization", query: "?org=no/such", wantInPage: []string{"is not a GitHub organization name"}},
		{name: "relative public URL", adjust: func(o *setup.Options) { o.PublicURL = "cohortbot.example.org" }, wantInPage: []string{"must be an absolute http(s) URL"}},
		{name: "broken app.yml", adjust: func(o *setup.Options) { o.ManifestYAML = []byte("name: x\nurl: y\npermissions: {}\n") }, wantInPage: []string{"app.yml", "permissions"}},
		{name: "credentials already written", adjust: func(o *setup.Options) { os.WriteFile(o.CredentialsPath, nil, 0o600) }, wantInPage: []string{"already exists", "--config"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.adjust)
			status, page := r.get(t, r.srv.URL+"/"+tc.query)
			if status != http.StatusOK || !strings.Contains(page, "GITHUB_APP_INTEGRATION_ID") {
				t.Fatalf("status %d, page does not say what is missing:\n%s", status, page)
			}
			for _, want := range tc.wantInPage {
				if !strings.Contains(html.UnescapeString(page), want) {
					t.Errorf("page lacks %q:\n%s", want, page)
				}
			}
			if tc.wantPath == "" {
				if actionRE.MatchString(page) {
					t.Errorf("page offers registration despite the problem")
				}
				return
			}
			action, manifest := form(t, page)
			u, err := url.Parse(action)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.wantPath, u.Path); d != "" {
				t.Errorf("form target (-want +got):\n%s", d)
			}
			if len(u.Query().Get("state")) < 32 {
				t.Errorf("form target %s carries no state token", action)
			}
			checkManifest(t, manifest, "https://cohortbot.example.org", r.srv.URL)
		})
	}
}

// checkManifest compares the posted manifest with app.yml plus the URLs the
// set-up server fills in: the webhook under hookBase, the redirect under
// setupURL.
func checkManifest(t *testing.T, got map[string]any, hookBase, setupURL string) {
	t.Helper()
	want := map[string]any{
		"name":            "cohortbot",
		"description":     got["description"],
		"url":             "https://github.com/cohortbot/cohortbot",
		"hook_attributes": map[string]any{"url": hookBase + "/api/github/hook"},
		"redirect_url":    setupURL + "/setup/callback",
		"callback_urls":   []any{hookBase + "/login/callback"}, // the web pages' sign-in (internal/web)
		"public":          false,
		"default_events":  []any{"issues", "issue_comment", "pull_request", "pull_request_review"},
		"default_permissions": map[string]any{
			"issues": "write", "pull_requests": "write", "contents": "read", "metadata": "read", "members": "read",
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("manifest (-want +got):\n%s", d)
	}
	if desc, _ := got["description"].(string); !strings.Contains(desc, "mentoring") {
		t.Errorf("description %q is not app.yml's", desc)
	}
}

func TestOtherPathsWhileUnregistered(t *testing.T) {
	r := newRig(t, nil)
	tests := []struct {
		name, method, path string
		want               int
		body               string
	}{
		{name: "webhooks refused", method: http.MethodPost, path: "/api/github/hook", want: http.StatusServiceUnavailable, body: "not registered yet"},
		{name: "metrics refused", method: http.MethodGet, path: "/metrics", want: http.StatusServiceUnavailable, body: "not registered yet"},
		{name: "liveness passes", method: http.MethodGet, path: "/healthz", want: http.StatusOK, body: "set-up mode"},
		{name: "readiness passes so the page stays reachable", method: http.MethodGet, path: "/readyz", want: http.StatusOK, body: "set-up mode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, r.srv.URL+tc.path, strings.NewReader("{}"))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.want || !strings.Contains(string(b), tc.body) {
				t.Errorf("%s %s = %d %q, want %d containing %q", tc.method, tc.path, resp.StatusCode, b, tc.want, tc.body)
			}
		})
	}
}

// register follows the page's form through the simulated GitHub and back, as a
// browser would, and returns the final page.
func (r *rig) register(t *testing.T) (int, string) {
	t.Helper()
	_, page := r.get(t, r.srv.URL+"/")
	action, manifest := form(t, page)
	b, _ := json.Marshal(manifest)
	resp, err := r.client.PostForm(action, url.Values{"manifest": {string(b)}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestRegistration(t *testing.T) {
	r := newRig(t, nil)
	status, page := r.register(t)
	if status != http.StatusOK || !strings.Contains(page, "cohortbot is registered") {
		t.Fatalf("status %d:\n%s", status, page)
	}
	appID := r.sim.AppID()
	for _, want := range []string{fmt.Sprintf("App ID <code>%d</code>", appID), "cohortbot serve --config " + r.opts.CredentialsPath,
		`href="` + r.sim.URL() + `/apps/cohortbot/installations/new"`} {
		if !strings.Contains(page, want) {
			t.Errorf("final page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "BEGIN RSA") || strings.Contains(page, r.sim.WebhookSecret()) {
		t.Error("final page shows a secret")
	}
	info, err := os.Stat(r.opts.CredentialsPath)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("credentials file mode = %o, want 600", perm)
	}
	cfg, err := config.LoadServer(r.opts.CredentialsPath, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("credentials file is not a valid server config: %v", err)
	}
	if err := cfg.LoadCredentials(); err != nil {
		t.Fatalf("serve would refuse the written credentials: %v", err)
	}
	clientID, clientSecret := r.sim.OAuthCredentials()
	want := config.App{IntegrationID: appID, WebhookSecret: r.sim.WebhookSecret(), PrivateKey: string(r.sim.PrivateKeyPEM()),
		ClientID: clientID, ClientSecret: clientSecret}
	if d := cmp.Diff(want, cfg.GitHub.App); d != "" {
		t.Errorf("written credentials (-want +got):\n%s", d)
	}
	if d := cmp.Diff("https://cohortbot.example.org", cfg.PublicURL); d != "" {
		t.Errorf("public_url (-want +got):\n%s", d)
	}
	if len(r.reported) != 1 || r.reported[0].AppID != appID {
		t.Errorf("OnRegistered got %+v", r.reported)
	}
	if _, again := r.get(t, r.srv.URL+"/"); !strings.Contains(again, "cohortbot is registered") {
		t.Errorf("set-up page still offers to register after success:\n%s", again)
	}
}
