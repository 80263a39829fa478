package setup_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/setup"
)

// state renders the page and returns the state token its form carries.
func (r *rig) state(t *testing.T) string {
	t.Helper()
	_, page := r.get(t, r.srv.URL+"/")
	action, _ := form(t, page)
	u, err := url.Parse(action)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("state")
}

func TestCallbackErrors(t *testing.T) {
	tests := []struct {
		name   string
		adjust func(*setup.Options)
		query  func(t *testing.T, r *rig) url.Values
		status int
		want   string
	}{
		{
			name:   "state not issued here",
			query:  func(t *testing.T, r *rig) url.Values { return url.Values{"code": {"code-1"}, "state": {"forged"}} },
			status: http.StatusBadRequest, want: "not started on this page",
		},
		{
			name: "state older than an hour",
			query: func(t *testing.T, r *rig) url.Values {
				s := r.state(t)
				r.now = r.now.Add(61 * time.Minute)
				return url.Values{"code": {"code-1"}, "state": {s}}
			},
			status: http.StatusBadRequest, want: "more than an hour old",
		},
		{
			name:   "no code",
			query:  func(t *testing.T, r *rig) url.Values { return url.Values{"state": {r.state(t)}} },
			status: http.StatusBadRequest, want: "sent no registration code",
		},
		{
			name:   "code GitHub does not know",
			query:  func(t *testing.T, r *rig) url.Values { return url.Values{"code": {"bogus"}, "state": {r.state(t)}} },
			status: http.StatusBadGateway, want: "GitHub refused the registration code (HTTP 404: Not Found)",
		},
		{
			name:   "GitHub unreachable",
			adjust: func(o *setup.Options) { o.APIURL = "http://127.0.0.1:1/api/v3/" },
			query:  func(t *testing.T, r *rig) url.Values { return url.Values{"code": {"code-1"}, "state": {r.state(t)}} },
			status: http.StatusBadGateway, want: "cannot reach GitHub's API at http://127.0.0.1:1/api/v3/ (GITHUB_V3_API_URL)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.adjust)
			status, page := r.get(t, r.srv.URL+"/setup/callback?"+tc.query(t, r).Encode())
			if status != tc.status || !strings.Contains(html.UnescapeString(page), tc.want) || !strings.Contains(page, `href="/"`) {
				t.Errorf("status %d, want %d with %q and a way back:\n%s", status, tc.status, tc.want, page)
			}
			if _, err := os.Stat(r.opts.CredentialsPath); err == nil {
				t.Error("a failed registration wrote credentials")
			}
			if len(r.reported) != 0 {
				t.Errorf("OnRegistered called for a failed registration: %+v", r.reported)
			}
		})
	}
}

func TestCallbackReplayRefused(t *testing.T) {
	r := newRig(t, nil)
	_, page := r.get(t, r.srv.URL+"/")
	action, manifest := form(t, page)
	var callback string
	client := &http.Client{Jar: r.client.Jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		callback = req.URL.String()
		return nil
	}}
	b, _ := json.Marshal(manifest)
	resp, err := client.PostForm(action, url.Values{"manifest": {string(b)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(callback, r.srv.URL+"/setup/callback?") {
		t.Fatalf("registration: status %d, callback %q", resp.StatusCode, callback)
	}
	status, again := r.get(t, callback)
	if status != http.StatusBadRequest || !strings.Contains(again, "not started on this page") {
		t.Errorf("replayed callback: status %d:\n%s", status, again)
	}
}

// TestExistingCredentialsKept covers a file appearing between page and
// callback: the App exists on GitHub by then, so its key must land somewhere.
func TestExistingCredentialsKept(t *testing.T) {
	r := newRig(t, nil)
	_, page := r.get(t, r.srv.URL+"/")
	if err := os.WriteFile(r.opts.CredentialsPath, []byte("earlier"), 0o600); err != nil {
		t.Fatal(err)
	}
	action, manifest := form(t, page)
	b, _ := json.Marshal(manifest)
	resp, err := r.client.PostForm(action, url.Values{"manifest": {string(b)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if b, _ := os.ReadFile(r.opts.CredentialsPath); string(b) != "earlier" {
		t.Error("an existing credentials file was overwritten")
	}
	info, err := os.Stat(fmt.Sprintf("%s.%d", r.opts.CredentialsPath, r.sim.AppID()))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials not written beside the existing file with mode 600: %v %v", info, err)
	}
}
