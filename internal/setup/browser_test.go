package setup_test

import (
	"encoding/json"
	"net"
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
// Chromium against the simulated GitHub's manifest page and conversion
// endpoint, and checks that the written credentials are the sim's App.
func TestRegistrationInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	b := startBrowser(t)
	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("simulated GitHub: unhandled %s %s", m, p) }})
	defer sim.Close()

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
	// Clicked from a timer, so this evaluation returns before the page navigates.
	b.eval(t, `setTimeout(() => document.querySelector('#register button').click(), 0), 'clicked'`)
	page := b.waitFor(t, `location.pathname + '\n' + document.body.innerText`, "cohortbot is registered")
	t.Logf("final page:\n%s", page)
	if got := b.eval(t, `document.querySelector('#install').href`); got != sim.URL()+"/apps/cohortbot/installations/new" {
		t.Errorf("install link = %q", got)
	}

	regs := sim.AppRegistrations()
	if len(regs) != 1 || regs[0].Org != "my-org" || !regs[0].Converted {
		t.Fatalf("registrations on the simulated GitHub = %+v, want one for my-org, converted", regs)
	}
	var manifest struct {
		HookAttributes struct{ URL string } `json:"hook_attributes"`
	}
	if err := json.Unmarshal(regs[0].Manifest, &manifest); err != nil || manifest.HookAttributes.URL != publicURL+"/api/github/hook" {
		t.Errorf("manifest hook URL = %q (%v), want %s/api/github/hook", manifest.HookAttributes.URL, err, publicURL)
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
