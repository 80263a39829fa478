package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/testlog"
)

// waitOutput waits until the output matches re and returns the match.
func waitOutput(t *testing.T, out *testlog.Buffer, re *regexp.Regexp) []string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
	}
	t.Fatalf("output never matched %s:\n%s", re, out.String())
	return nil
}

// start runs ghsim with args until the test ends and returns its URL, its
// output and the writer standing for the terminal's keyboard.
func start(t *testing.T, args ...string) (string, *testlog.Buffer, io.Writer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	out := &testlog.Buffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), inR, out) }()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	u := waitOutput(t, out, regexp.MustCompile(`Simulated GitHub at (http://\S+)`))[1]
	return u, out, inW
}

// hookReceiver checks each delivery's signature against the secret it is
// told once the App is registered, and answers 202.
type hookReceiver struct {
	mu     sync.Mutex
	secret string
	events []string
	bad    int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	mac := hmac.New(sha256.New, []byte(h.secret))
	mac.Write(body)
	if r.Header.Get("X-Hub-Signature-256") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
		h.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	h.events = append(h.events, r.Header.Get("X-GitHub-Event")+" to "+r.URL.Path)
	w.WriteHeader(http.StatusAccepted)
}

// register goes through the manifest flow as cohortbot's set-up page does
// and returns the webhook secret.
func register(t *testing.T, simURL, hookURL string) string {
	t.Helper()
	manifest, _ := json.Marshal(map[string]any{
		"name": "cohortbot", "url": "https://github.com/cohortbot/cohortbot",
		"hook_attributes": map[string]any{"url": hookURL}, "redirect_url": "http://127.0.0.1:1/setup/callback",
	})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(simURL+"/organizations/my-org/settings/apps/new?state=s", url.Values{"manifest": {string(manifest)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("manifest: %d %v", resp.StatusCode, err)
	}
	resp, err = http.Post(simURL+"/app-manifests/"+loc.Query().Get("code")+"/conversions", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var app struct {
		WebhookSecret string `json:"webhook_secret"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&app); err != nil || app.WebhookSecret == "" {
		t.Fatalf("conversion: %d %v", resp.StatusCode, err)
	}
	return app.WebhookSecret
}

func TestSampleRequestAfterRegistration(t *testing.T) {
	tests := []struct {
		name      string
		flagHook  bool // pass --webhook rather than rely on the registered App's URL
		wantInOut string
		wantPath  string
	}{
		{name: "webhook URL from the registration", wantInOut: "App registered through the manifest flow", wantPath: "/registered"},
		{name: "webhook URL from --webhook", flagHook: true, wantInOut: "Webhooks go to http://", wantPath: "/from-flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recv := &hookReceiver{}
			hookSrv := httptest.NewServer(recv)
			defer hookSrv.Close()
			var args []string
			if tc.flagHook {
				args = []string{"--webhook", hookSrv.URL + "/from-flag"}
			}
			simURL, out, keyboard := start(t, append(args, "--repo", "my-org/mentoring", "--organizer", "olivia")...)
			secret := register(t, simURL, hookSrv.URL+"/registered")
			recv.mu.Lock()
			recv.secret = secret
			recv.mu.Unlock()

			io.WriteString(keyboard, "\n")
			waitOutput(t, out, regexp.MustCompile(`@olivia opened my-org/mentoring#1 "New cohort: SIG Docs reviewers"`))
			waitOutput(t, out, regexp.MustCompile(`webhook issues\.opened delivered: 202`))
			if !strings.Contains(out.String(), tc.wantInOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantInOut, out)
			}
			if strings.Contains(out.String(), "No App is registered yet") {
				t.Errorf("warned about a missing registration:\n%s", out)
			}
			recv.mu.Lock()
			defer recv.mu.Unlock()
			if len(recv.events) != 1 || recv.events[0] != "issues to "+tc.wantPath || recv.bad != 0 {
				t.Errorf("received %v, %d with a bad signature", recv.events, recv.bad)
			}
		})
	}
}

func TestSampleRequestBeforeRegistrationWarns(t *testing.T) {
	_, out, keyboard := start(t)
	io.WriteString(keyboard, "\n")
	waitOutput(t, out, regexp.MustCompile(`@alice opened my-org/mentoring#1`))
	if !strings.Contains(out.String(), "No App is registered yet (and no --webhook)") {
		t.Errorf("no warning:\n%s", out)
	}
}

func TestSampleBodyIsTheIssueForm(t *testing.T) {
	body := sampleBody(time.Date(2027, 3, 3, 15, 0, 0, 0, time.UTC)) // a Wednesday
	for _, want := range []string{"### Start date\r\n\r\n2027-03-08\r\n", "### End date\r\n\r\n2027-05-16\r\n", "### Mentors\r\n\r\n@ana-mentor\r\n@bo-mentor\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestBadArguments(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "repo without owner", args: []string{"--repo", "mentoring"}, want: "--repo must be owner/name"},
		{name: "repo with too many parts", args: []string{"--repo", "a/b/c"}, want: "--repo must be owner/name"},
		{name: "positional argument", args: []string{"serve"}, want: "unexpected arguments"},
		{name: "address in use", args: []string{"--addr", busy.Addr().String()}, want: "(--addr)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, strings.NewReader(""), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
