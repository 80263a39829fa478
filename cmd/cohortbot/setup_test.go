package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/testlog"
)

// setupEnv clears every variable serve reads, so the developer's environment
// cannot lend the test credentials, and keeps the database (and so the
// credentials file) in a temporary directory.
func setupEnv(t *testing.T) string {
	t.Helper()
	clearEnv(t)
	for _, k := range []string{"GITHUB_WEB_URL", "GITHUB_V3_API_URL", "GITHUB_V4_API_URL", "COHORTBOT_PUBLIC_URL",
		"COHORTBOT_LOG_LEVEL", "COHORTBOT_TICK_INTERVAL", "COHORTBOT_WORKERS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	t.Setenv("COHORTBOT_DATABASE_URL", "sqlite://"+filepath.Join(dir, "cohortbot.db"))
	t.Setenv("COHORTBOT_LOG_LEVEL", "warn")
	return dir
}

// startServe runs `cohortbot args…` until stop is called, which cancels it
// and returns run's error.
func startServe(t *testing.T, args ...string) (out *testlog.Buffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &testlog.Buffer{}
	done := make(chan error, 1)
	go func() { done <- runWithOutput(ctx, args, out) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				t.Fatal("cohortbot did not stop after its context was cancelled")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return out, stop
}

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	return clientGet(t, http.DefaultClient, u)
}

func clientGet(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// operatorBrowser is a client that keeps cookies, as the operator's browser
// opening the set-up URL does.
func operatorBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

var setupURLRE = regexp.MustCompile(`To register the App, open (http://\S+/\?token=\S+)`)

// waitSetupURL waits for serve to print the set-up URL, token included.
func waitSetupURL(t *testing.T, out *testlog.Buffer) string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := setupURLRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve never printed the set-up URL:\n%s", out)
	return ""
}

// TestServeWithoutCredentialsServesSetupPage: serve prints a set-up URL with
// a fresh 256-bit token; only a browser that opened it gets the form, whose
// webhook URL is COHORTBOT_PUBLIC_URL or else the address the browser used.
func TestServeWithoutCredentialsServesSetupPage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantHook   string // "<base>" is the address serve listens on
		wantOutput string
	}{
		{
			name:     "public URL",
			args:     []string{"--public-url", "https://cohortbot.example.org"},
			wantHook: "https://cohortbot.example.org/api/github/hook", wantOutput: "(or https://cohortbot.example.org/?token=",
		},
		{name: "no public URL: the address the browser used", wantHook: "<base>api/github/hook"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := setupEnv(t)
			t.Setenv("COHORTBOT_ADDRESS", "127.0.0.1:0")
			out, stop := startServe(t, append([]string{"serve", "--org", "my-org"}, tc.args...)...)
			setupURL := waitSetupURL(t, out)
			base, token, _ := strings.Cut(setupURL, "?token=")
			if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(token) || !strings.Contains(out.String(), tc.wantOutput) {
				t.Errorf("set-up URL %s: want a 256-bit hex token; output:\n%s", setupURL, out)
			}
			if status, page := httpGet(t, base); status != http.StatusForbidden || strings.Contains(page, `id="register"`) {
				t.Errorf("GET / without the token = %d, offers the form or more:\n%s", status, page)
			}
			status, page := clientGet(t, operatorBrowser(t), setupURL)
			for _, want := range []string{"Set up cohortbot", "GITHUB_APP_INTEGRATION_ID",
				`action="https://github.com/organizations/my-org/settings/apps/new?state=`, strings.ReplaceAll(tc.wantHook, "<base>", base)} {
				if status != http.StatusOK || !strings.Contains(page, want) {
					t.Errorf("set-up URL = %d, page lacks %q:\n%s", status, want, page)
				}
			}
			checkSetupModeRoutes(t, base)
			if err := stop(); err != nil {
				t.Errorf("serve returned %v after cancellation", err)
			}
			if _, err := os.Stat(filepath.Join(dir, "cohortbot.db")); err == nil {
				t.Error("set-up mode created the database")
			}
		})
	}
}

// checkSetupModeRoutes: webhooks refused, readiness passing.
func checkSetupModeRoutes(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Post(base+"api/github/hook", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("POST /api/github/hook = %d, want 503", resp.StatusCode)
	}
	if status, _ := httpGet(t, base+"readyz"); status != http.StatusOK {
		t.Errorf("/readyz = %d, want 200 in set-up mode", status)
	}
}
