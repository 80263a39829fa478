package main

import (
	"encoding/json"
	"html"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// TestWalkthroughAgainstSimulatedGitHub follows docs/operations.md's "Try it
// against the simulated GitHub" as far as a test can without a browser: the
// simulated GitHub set up as cmd/ghsim does, serve with no credentials, the
// set-up page's form posted to the sim, the credentials file, serve again
// with --config, a request filed as the organizer, its webhook accepted
// (202) and answered by the bot on the issue.
func TestWalkthroughAgainstSimulatedGitHub(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the service twice")
	}
	dir := setupEnv(t)
	const repo, organizer = "my-org/mentoring", "alice"
	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("simulated GitHub: unhandled %s %s", m, p) }})
	defer sim.Close()
	sim.AddInstallation(1, "my-org")
	sim.AddRepo(1, repo, false)
	sim.SetPermission(repo, organizer, "write")
	for _, u := range []string{"ana-mentor", "dee", "eli"} {
		sim.SetPermission(repo, u, "read")
	}

	// Step: start cohortbot without credentials, pointed at the sim. The
	// public URL must be known before GitHub is told it, so pick the port.
	addr := freeAddr(t)
	base := "http://" + addr + "/"
	t.Setenv("COHORTBOT_ADDRESS", addr)
	t.Setenv("COHORTBOT_PUBLIC_URL", "http://"+addr)
	t.Setenv("GITHUB_WEB_URL", sim.URL())
	t.Setenv("GITHUB_V3_API_URL", sim.URL()+"/")
	out, stop := startServe(t, "serve")
	setupURL := waitSetupURL(t, out)
	if !strings.HasPrefix(setupURL, base+"?token=") {
		t.Fatalf("serve printed %s, want %s?token=…", setupURL, base)
	}

	// Step: open the set-up URL and press the button (the form's POST;
	// the client follows GitHub's redirect back to the callback).
	browser := operatorBrowser(t)
	_, page := clientGet(t, browser, setupURL)
	action := formValue(t, page, `<form id="register" action="([^"]*)"`)
	manifest := formValue(t, page, `name="manifest" value="([^"]*)"`)
	resp, err := browser.PostForm(action, url.Values{"manifest": {manifest}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/setup/callback" {
		t.Fatalf("registration ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	credPath := filepath.Join(dir, "credentials.yml")
	if info, err := os.Stat(credPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", info, err)
	}
	if !strings.Contains(out.String(), "cohortbot serve --config "+credPath) {
		t.Errorf("serve did not tell the next step:\n%s", out)
	}
	if err := stop(); err != nil {
		t.Fatalf("set-up server: %v", err)
	}

	// Step: restart with the credentials file alone (its URLs included).
	for _, k := range []string{"COHORTBOT_PUBLIC_URL", "GITHUB_WEB_URL", "GITHUB_V3_API_URL"} {
		os.Unsetenv(k)
	}
	_, stop = startServe(t, "serve", "--config", credPath)
	waitReady(t, base+"readyz")

	// Step: the organizer files a request; GitHub delivers it to the URL the
	// App was registered with, signed with the secret from the registration.
	is := sim.OpenIssue(organizer, repo, "New cohort: SIG Docs reviewers", walkthroughRequest(time.Now()), "cohort/request")
	sim.WaitDeliveries()
	ds := sim.Deliveries()
	if len(ds) != 1 || ds[0].Status != http.StatusAccepted {
		t.Fatalf("deliveries = %+v, want one answered 202", ds)
	}
	waitBotComment(t, sim, repo, is.Number)
	if err := stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func formValue(t *testing.T, page, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page lacks %s:\n%s", re, page)
	}
	return html.UnescapeString(m[1])
}

func waitReady(t *testing.T, u string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatalf("%s never answered 200", u)
}

func waitBotComment(t *testing.T, sim *ghsim.Sim, repo string, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, c := range sim.Comments(repo, n) {
			if c.User == sim.BotLogin() {
				return
			}
		}
	}
	b, _ := json.MarshalIndent(sim.Requests(), "", " ")
	t.Fatalf("the bot never commented on #%d; requests:\n%s", n, b)
}

// walkthroughRequest is a new-cohort request as the issue form renders it.
func walkthroughRequest(now time.Time) string {
	start := now.UTC().AddDate(0, 0, 1)
	for start.Weekday() != time.Monday {
		start = start.AddDate(0, 0, 1)
	}
	return cohort.Submission("Cohort name", "SIG Docs reviewers", "Ladder step", "Reviewer", "SIGs or areas", "SIG Docs",
		"Mentors", "@ana-mentor", "Mentees", "@dee -> @ana-mentor\n@eli",
		"Start date", start.Format("2006-01-02"), "End date", start.AddDate(0, 0, 7*8-1).Format("2006-01-02"),
		"Check-in day", "Monday", "Time zone", "UTC", "Chat channel", "#docs", "Notes", "")
}
