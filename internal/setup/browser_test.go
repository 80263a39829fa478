package setup_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/setup"
)

// TestRegistrationInBrowser presses the set-up page's button in headless
// Chromium against the simulated GitHub, whose manifest page and conversion
// endpoint the fake provides through the sim's intercept hook, and checks
// that the written credentials are the sim's App.
func TestRegistrationInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	b := startBrowser(t)
	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("simulated GitHub: unhandled %s %s", m, p) }})
	defer sim.Close()
	fake := newFakeGitHub(sim.AppID(), sim.WebhookSecret(), string(sim.PrivateKeyPEM()))
	sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if !fake.Handles(r) {
			return false
		}
		fake.ServeHTTP(w, r)
		return true
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	publicURL := "http://" + ln.Addr().String()
	credPath := filepath.Join(t.TempDir(), "credentials.yml")
	srv := httptest.NewUnstartedServer(setup.New(setup.Options{
		ManifestYAML: appYML(t), PublicURL: publicURL, WebURL: sim.URL(), APIURL: sim.URL() + "/",
		CredentialsPath: credPath, Org: "my-org",
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	if _, err := b.call("Page.navigate", map[string]any{"url": publicURL + "/"}); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `document.querySelector('#register button') ? 'ready' : ''`, "ready")
	b.eval(t, `document.querySelector('#register button').click(), 'clicked'`)
	page := b.waitFor(t, `location.pathname + '\n' + document.body.innerText`, "cohortbot is registered")
	t.Logf("final page:\n%s", page)
	if got := b.eval(t, `document.querySelector('#install').href`); got != "https://github.example/apps/cohortbot/installations/new" {
		t.Errorf("install link = %q", got)
	}

	manifest, path := fake.lastManifest()
	if d := cmp.Diff("/organizations/my-org/settings/apps/new", path); d != "" {
		t.Errorf("manifest posted to (-want +got):\n%s", d)
	}
	if hook, _ := manifest["hook_attributes"].(map[string]any); hook["url"] != publicURL+"/api/github/hook" {
		t.Errorf("hook_attributes = %v", manifest["hook_attributes"])
	}
	info, err := os.Stat(credPath)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("credentials mode = %o, want 600", info.Mode().Perm())
	}
	cfg, err := config.LoadServer(credPath, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.LoadCredentials(); err != nil {
		t.Fatal(err)
	}
	want := config.App{IntegrationID: sim.AppID(), WebhookSecret: sim.WebhookSecret(), PrivateKey: string(sim.PrivateKeyPEM())}
	if d := cmp.Diff(want, cfg.GitHub.App); d != "" {
		t.Errorf("credentials (-want +got):\n%s", d)
	}
	if d := cmp.Diff(sim.URL()+"/", cfg.GitHub.V3APIURL); d != "" {
		t.Errorf("v3_api_url (-want +got):\n%s", d)
	}
}
