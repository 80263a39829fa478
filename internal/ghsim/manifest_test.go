package ghsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// noRedirect is a client that returns the 302 instead of following it.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

const testManifest = `{"name":"cohortbot","url":"https://github.com/cohortbot/cohortbot",` +
	`"hook_attributes":{"url":"HOOK"},"redirect_url":"https://bot.example/setup/callback?keep=1",` +
	`"public":false,"default_events":["issues"],"default_permissions":{"issues":"write"}}`

// postManifest posts the form as the set-up page's button does and returns
// the response (not followed).
func postManifest(t *testing.T, s *Sim, path, manifest string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.PostForm(s.URL()+path, url.Values{"manifest": {manifest}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// convert exchanges code and decodes the answer.
func convert(t *testing.T, s *Sim, code string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.URL()+"/app-manifests/"+url.PathEscape(code)+"/conversions", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func TestManifestRegistration(t *testing.T) {
	tests := []struct {
		name, path, wantOrg, wantOwner string
	}{
		{name: "personal account", path: "/settings/apps/new?state=s1", wantOwner: "cohortbot-dev"},
		{name: "organization", path: "/organizations/my-org/settings/apps/new?state=s1", wantOrg: "my-org", wantOwner: "my-org"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSim(t, Options{})
			manifest := strings.Replace(testManifest, "HOOK", "https://bot.example/api/github/hook", 1)
			resp, body := postManifest(t, s, tc.path, manifest)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			code := loc.Query().Get("code")
			if d := cmp.Diff("https://bot.example/setup/callback?code="+code+"&keep=1&state=s1", loc.String()); d != "" || code == "" {
				t.Errorf("redirect (-want +got):\n%s", d)
			}
			regs := s.AppRegistrations()
			if len(regs) != 1 || regs[0].Org != tc.wantOrg || regs[0].State != "s1" || regs[0].Code != code || string(regs[0].Manifest) != manifest {
				t.Fatalf("registrations = %+v", regs)
			}

			status, app := convert(t, s, code)
			if status != http.StatusCreated {
				t.Fatalf("conversion: %d %v", status, app)
			}
			owner, _ := app["owner"].(map[string]any)
			got := map[string]any{
				"id": app["id"], "slug": app["slug"], "name": app["name"], "pem": app["pem"],
				"webhook_secret": app["webhook_secret"], "html_url": app["html_url"], "owner": owner["login"],
				"external_url": app["external_url"],
			}
			want := map[string]any{
				"id": float64(s.AppID()), "slug": "cohortbot", "name": "cohortbot", "pem": string(s.PrivateKeyPEM()),
				"webhook_secret": s.WebhookSecret(), "html_url": s.URL() + "/apps/cohortbot", "owner": tc.wantOwner,
				"external_url": "https://github.com/cohortbot/cohortbot",
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("conversion (-want +got):\n%s", d)
			}
			for _, k := range []string{"node_id", "client_id", "client_secret"} {
				if v, _ := app[k].(string); v == "" {
					t.Errorf("conversion lacks %s", k)
				}
			}
			if !s.AppRegistrations()[0].Converted {
				t.Error("registration not marked converted")
			}
			if status, _ := convert(t, s, code); status != http.StatusNotFound {
				t.Errorf("second conversion of the same code = %d, want 404", status)
			}
		})
	}
}

func TestManifestConversionUnknownCode(t *testing.T) {
	s := newTestSim(t, Options{})
	status, out := convert(t, s, "no-such-code")
	if status != http.StatusNotFound || out["message"] != "Not Found" {
		t.Errorf("got %d %v, want 404 Not Found", status, out)
	}
}

func TestManifestRejected(t *testing.T) {
	tests := []struct{ name, manifest, want string }{
		{name: "no manifest", manifest: "", want: "no manifest"},
		{name: "not JSON", manifest: "name: cohortbot", want: "not JSON"},
		{name: "no url", manifest: `{"name":"x","redirect_url":"https://bot.example/cb"}`, want: "no url"},
		{name: "no redirect", manifest: `{"name":"x","url":"https://x.example"}`, want: "redirect_url"},
		{name: "relative redirect", manifest: `{"name":"x","url":"https://x.example","redirect_url":"/cb"}`, want: "redirect_url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSim(t, Options{})
			resp, body := postManifest(t, s, "/settings/apps/new", tc.manifest)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("status %d, want 422 with %q:\n%s", resp.StatusCode, tc.want, body)
			}
			if n := len(s.AppRegistrations()); n != 0 {
				t.Errorf("%d registrations recorded", n)
			}
		})
	}
}

// hookRecorder is a webhook receiver that records signatures and answers 202.
type hookRecorder struct {
	mu   sync.Mutex
	sigs []string
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	h.mu.Lock()
	h.sigs = append(h.sigs, r.Header.Get("X-Hub-Signature-256"))
	h.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (h *hookRecorder) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sigs)
}

func TestManifestWebhookURL(t *testing.T) {
	tests := []struct {
		name      string
		setHook   bool   // SetWebhook before registering
		active    string // hook_attributes.active in the manifest, "" for absent
		toRegHook bool   // deliveries go to the manifest's hook URL
	}{
		{name: "manifest's hook URL used", toRegHook: true},
		{name: "explicitly active", active: "true", toRegHook: true},
		{name: "inactive hook", active: "false"},
		{name: "SetWebhook wins", setHook: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSim(t, Options{})
			registered, other := &hookRecorder{}, &hookRecorder{}
			regSrv, otherSrv := httptest.NewServer(registered), httptest.NewServer(other)
			defer regSrv.Close()
			defer otherSrv.Close()
			if tc.setHook {
				s.SetWebhook(otherSrv.URL, "")
			}
			hook := `{"url":"` + regSrv.URL + `"`
			if tc.active != "" {
				hook += `,"active":` + tc.active
			}
			manifest := strings.Replace(testManifest, `{"url":"HOOK"}`, hook+"}", 1)
			resp, body := postManifest(t, s, "/settings/apps/new", manifest)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if status, _ := convert(t, s, loc.Query().Get("code")); status != http.StatusCreated {
				t.Fatalf("conversion = %d", status)
			}
			s.OpenIssue("alice", testRepo, "hello", "")
			s.WaitDeliveries()
			want := [2]int{0, 0}
			switch {
			case tc.toRegHook:
				want[0] = 1
			case tc.setHook:
				want[1] = 1
			}
			if got := [2]int{registered.count(), other.count()}; got != want {
				t.Errorf("deliveries to (manifest hook, SetWebhook URL) = %v, want %v", got, want)
			}
		})
	}
}

func TestManifestWebPages(t *testing.T) {
	s := newTestSim(t, Options{})
	tests := []struct{ name, path, want string }{
		{name: "new App page", path: "/settings/apps/new?state=abc", want: `action="/settings/apps/new?state=abc"`},
		{name: "new App page for an organization", path: "/organizations/my-org/settings/apps/new", want: "for my-org"},
		{name: "install page lists the installed repos", path: "/apps/cohortbot/installations/new", want: "<li>" + testRepo + "</li>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(s.URL() + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), tc.want) {
				t.Errorf("status %d %s, want 200 HTML containing %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), tc.want, b)
			}
		})
	}
	resp, err := http.Get(s.URL() + "/apps/cohortbot")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var app map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&app); err != nil || app["slug"] != "cohortbot" {
		t.Errorf("GET /apps/cohortbot = %d %v %v", resp.StatusCode, app, err)
	}
	if r, _ := http.Get(s.URL() + "/apps/other"); r == nil || r.StatusCode != http.StatusNotFound {
		t.Errorf("GET /apps/other should be 404")
	}
}
