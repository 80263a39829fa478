package setup_test

import (
	"encoding/json"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/setup"
)

// TestRegistrationInBrowser presses the set-up page's button in headless
// Chromium against the simulated GitHub's manifest page and conversion
// endpoint, and checks that the written credentials are the sim's App. The
// browser first comes without the set-up token (no button), then through the
// set-up URL, as an operator copying it from the log. GitHub's side is
// addressed as localhost and the set-up page as 127.0.0.1, two different
// sites, and the operator confirms on a GitHub page (confirmPage), so the
// callback is a cross-site navigation started by GitHub, as on github.com:
// the set-up cookie must be SameSite=Lax to come back (with Strict this test
// fails). No COHORTBOT_PUBLIC_URL: the webhook URL is the address the browser
// used.
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
	token, err := setup.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	github := confirmPage(t, strings.Replace(sim.URL(), "127.0.0.1", "localhost", 1))
	srv := httptest.NewUnstartedServer(setup.New(setup.Options{
		Token: token, ManifestYAML: appYML(t), WebURL: github,
		APIURL: sim.URL() + "/", CredentialsPath: credPath, Org: "my-org",
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	b.navigate(t, publicURL+"/")
	b.waitFor(t, `document.body ? document.body.innerText : ''`, "Only the operator")
	if got := b.eval(t, `document.querySelector('#register') ? 'form' : 'none'`); got != "none" {
		t.Fatal("the page offers registration to a browser without the token")
	}
	b.navigate(t, publicURL+"/?token="+token)
	b.waitFor(t, `document.querySelector('#register button') ? 'ready' : ''`, "ready")
	if got := b.eval(t, `location.href + ' cookies:' + document.cookie`); got != publicURL+"/ cookies:" {
		t.Errorf("after the set-up URL: %q, want the token gone from the address bar and no cookie visible to scripts", got)
	}
	// Clicked from a timer, so this evaluation returns before the page navigates.
	b.eval(t, `setTimeout(() => document.querySelector('#register button').click(), 0), 'clicked'`)
	b.waitFor(t, `document.querySelector('#confirm button') ? 'confirm' : ''`, "confirm")
	b.eval(t, `setTimeout(() => document.querySelector('#confirm button').click(), 0), 'clicked'`)
	page := b.waitFor(t, `location.pathname + '\n' + document.body.innerText`, "cohortbot is registered")
	t.Logf("final page:\n%s", page)
	if got := b.eval(t, `document.querySelector('#install').href`); got != sim.URL()+"/apps/cohortbot/installations/new" {
		t.Errorf("install link = %q", got)
	}
	b.navigate(t, publicURL+"/?token="+token)
	b.waitFor(t, `document.body ? document.body.innerText : ''`, "the set-up URL no longer works")

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
	clientID, clientSecret := sim.OAuthCredentials()
	want := config.App{IntegrationID: sim.AppID(), WebhookSecret: sim.WebhookSecret(), PrivateKey: string(sim.PrivateKeyPEM()),
		ClientID: clientID, ClientSecret: clientSecret}
	if d := cmp.Diff(want, cfg.GitHub.App); d != "" {
		t.Errorf("credentials (-want +got):\n%s", d)
	}
	if d := cmp.Diff(sim.URL()+"/", cfg.GitHub.V3APIURL); d != "" {
		t.Errorf("v3_api_url (-want +got):\n%s", d)
	}
}

// confirmPage stands for github.com's "Create GitHub App" confirmation: it
// answers the manifest form with a page whose button posts the manifest on to
// the simulated GitHub (which then redirects to the callback), so the
// navigation back to the set-up server starts from GitHub's site, not from
// the set-up page. It returns its base URL, on localhost.
func confirmPage(t *testing.T, simURL string) string {
	t.Helper()
	tmpl := template.Must(template.New("confirm").Parse(`<!doctype html><html><body><h1>Create GitHub App</h1>
<form id="confirm" method="post" action="{{.Action}}"><input type="hidden" name="manifest" value="{{.Manifest}}">
<button type="submit">Create GitHub App</button></form></body></html>`))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			http.Error(w, "want the manifest form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = tmpl.Execute(w, map[string]string{
			"Action": simURL + r.URL.RequestURI(), "Manifest": r.PostForm.Get("manifest"),
		})
	}))
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}
