package setup_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/setup"
)

// cookieName is the set-up cookie's name, as the browser sees it.
const cookieName = "cohortbot_setup"

// noFollow is a client without cookies that stops at redirects, to see them.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// cookieSeen is what a browser learns from a Set-Cookie header.
type cookieSeen struct {
	Name, Value, Path string
	HTTPOnly, Secure  bool
	SameSite          http.SameSite
}

func TestSetUpPageNeedsToken(t *testing.T) {
	const tok = "<token>" // replaced by the rig's token
	other, _ := setup.NewToken()
	tests := []struct {
		name         string
		adjust       func(*setup.Options)
		path         string
		header       http.Header
		cookie       string // the set-up cookie sent, if any
		wantStatus   int
		wantLocation string
		wantCookie   *cookieSeen
		wantForm     bool
		wantText     string
	}{
		{name: "stranger", path: "/", wantStatus: http.StatusForbidden, wantText: "Open the one-time set-up URL"},
		{name: "stranger choosing an organization", path: "/?org=my-org", wantStatus: http.StatusForbidden, wantText: "Only the operator"},
		{name: "wrong token", path: "/?token=" + other, wantStatus: http.StatusForbidden, wantText: "This set-up URL is not valid"},
		{name: "empty token", path: "/?token=", wantStatus: http.StatusForbidden, wantText: "This set-up URL is not valid"},
		{name: "token prefix", path: "/?token=<prefix>", wantStatus: http.StatusForbidden, wantText: "This set-up URL is not valid"},
		{
			name: "right token: kept in a cookie, removed from the URL", path: "/?token=" + tok,
			wantStatus: http.StatusSeeOther, wantLocation: "/",
			wantCookie: &cookieSeen{Name: cookieName, Value: tok, Path: "/", HTTPOnly: true, SameSite: http.SameSiteLaxMode},
		},
		{
			name: "right token with an organization", path: "/?org=my-org&token=" + tok,
			wantStatus: http.StatusSeeOther, wantLocation: "/?org=my-org",
			wantCookie: &cookieSeen{Name: cookieName, Value: tok, Path: "/", HTTPOnly: true, SameSite: http.SameSiteLaxMode},
		},
		{
			name: "right token behind an https proxy: a Secure cookie", path: "/?token=" + tok,
			header:     http.Header{"X-Forwarded-Proto": {"https"}},
			wantStatus: http.StatusSeeOther, wantLocation: "/",
			wantCookie: &cookieSeen{Name: cookieName, Value: tok, Path: "/", HTTPOnly: true, Secure: true, SameSite: http.SameSiteLaxMode},
		},
		{name: "cookie with the token", path: "/", cookie: tok, wantStatus: http.StatusOK, wantForm: true, wantText: "GITHUB_APP_INTEGRATION_ID"},
		{name: "cookie with another token", path: "/", cookie: other, wantStatus: http.StatusForbidden, wantText: "Only the operator"},
		{
			name: "server given no token opens to nobody", adjust: func(o *setup.Options) { o.Token = "" },
			path: "/?token=", wantStatus: http.StatusForbidden, wantText: "not valid",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.adjust)
			token := r.opts.Token
			if token == "" {
				token = "unused"
			}
			req, _ := http.NewRequest(http.MethodGet, r.srv.URL+strings.NewReplacer(tok, token, "<prefix>", token[:len(token)-1]).Replace(tc.path), nil)
			for k, v := range tc.header {
				req.Header[k] = v
			}
			if tc.cookie != "" {
				req.AddCookie(&http.Cookie{Name: cookieName, Value: strings.ReplaceAll(tc.cookie, tok, token)})
			}
			resp, page := do(t, noFollow, req)
			if resp.StatusCode != tc.wantStatus || resp.Header.Get("Location") != tc.wantLocation {
				t.Errorf("status %d, Location %q; want %d, %q", resp.StatusCode, resp.Header.Get("Location"), tc.wantStatus, tc.wantLocation)
			}
			var got *cookieSeen
			for _, c := range resp.Cookies() {
				got = &cookieSeen{Name: c.Name, Value: c.Value, Path: c.Path, HTTPOnly: c.HttpOnly, Secure: c.Secure, SameSite: c.SameSite}
			}
			if tc.wantCookie != nil {
				tc.wantCookie.Value = token
			}
			if d := cmp.Diff(tc.wantCookie, got); d != "" {
				t.Errorf("cookie set (-want +got):\n%s", d)
			}
			if actionRE.MatchString(page) != tc.wantForm || !strings.Contains(page, tc.wantText) {
				t.Errorf("form shown = %v, want %v; want text %q in:\n%s", actionRE.MatchString(page), tc.wantForm, tc.wantText, page)
			}
			if strings.Contains(page, token) {
				t.Error("the page shows the token")
			}
		})
	}
}

func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// approve posts a form's manifest to the simulated GitHub, as the operator
// confirming there would, and returns the callback URL GitHub sends the
// browser to (with a fresh, unused code) without following it.
func (r *rig) approve(t *testing.T, action string, manifest map[string]any) *url.URL {
	t.Helper()
	b, _ := json.Marshal(manifest)
	resp, err := noFollow.PostForm(action, url.Values{"manifest": {string(b)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("simulated GitHub answered %d, Location %v", resp.StatusCode, err)
	}
	return loc
}

// approveNew approves the form of a freshly rendered page.
func (r *rig) approveNew(t *testing.T) *url.URL {
	t.Helper()
	action, manifest := form(t, r.page(t))
	return r.approve(t, action, manifest)
}

// converted reports whether the sim exchanged code for credentials.
func (r *rig) converted(code string) bool {
	for _, reg := range r.sim.AppRegistrations() {
		if reg.Code == code {
			return reg.Converted
		}
	}
	return false
}

func TestCallbackRefusedWithoutBinding(t *testing.T) {
	other, _ := setup.NewToken()
	tests := []struct {
		name string
		// callback returns the client to use and the callback URL, carrying
		// a real, unused code from the simulated GitHub.
		callback func(t *testing.T, r *rig) (*http.Client, *url.URL)
		status   int
		want     string
	}{
		{
			name: "forged state", status: http.StatusBadRequest, want: "not started on this page",
			callback: func(t *testing.T, r *rig) (*http.Client, *url.URL) {
				u := r.approveNew(t)
				q := u.Query()
				q.Set("state", strings.Repeat("a", 32)+"."+strings.Repeat("b", 64))
				u.RawQuery = q.Encode()
				return r.client, u
			},
		},
		{
			name: "state with a wrong MAC", status: http.StatusBadRequest, want: "not started on this page",
			callback: func(t *testing.T, r *rig) (*http.Client, *url.URL) {
				u := r.approveNew(t)
				q := u.Query()
				s := q.Get("state")
				flipped := byte('0') // a different last character, whatever it was
				if s[len(s)-1] == '0' {
					flipped = '1'
				}
				q.Set("state", s[:len(s)-1]+string(flipped))
				u.RawQuery = q.Encode()
				return r.client, u
			},
		},
		{
			name: "no cookie", status: http.StatusForbidden, want: "did not open the set-up URL",
			callback: func(t *testing.T, r *rig) (*http.Client, *url.URL) {
				return http.DefaultClient, r.approveNew(t)
			},
		},
		{
			name: "cookie with another token", status: http.StatusForbidden, want: "did not open the set-up URL",
			callback: func(t *testing.T, r *rig) (*http.Client, *url.URL) {
				u := r.approveNew(t)
				c := newBrowser(t)
				c.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: other}})
				return c, u
			},
		},
		{
			name: "replayed state", status: http.StatusBadRequest, want: "not started on this page",
			callback: func(t *testing.T, r *rig) (*http.Client, *url.URL) {
				action, manifest := form(t, r.page(t))
				first := r.approve(t, action, manifest)
				q := first.Query()
				q.Set("code", "bogus") // spends the state; GitHub refuses the code
				first.RawQuery = q.Encode()
				if status, page := r.get(t, first.String()); status != http.StatusBadGateway {
					t.Fatalf("first use of the state: %d\n%s", status, page)
				}
				return r.client, r.approve(t, action, manifest)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil)
			client, u := tc.callback(t, r)
			status, page := fetch(t, client, u.String())
			if status != tc.status || !strings.Contains(page, tc.want) {
				t.Errorf("callback: status %d, want %d with %q:\n%s", status, tc.status, tc.want, page)
			}
			if code := u.Query().Get("code"); code == "" || r.converted(code) {
				t.Errorf("code %q was exchanged", code)
			}
			if _, err := os.Stat(r.opts.CredentialsPath); err == nil || len(r.reported) != 0 {
				t.Errorf("a refused callback registered the App (%v, %+v)", err, r.reported)
			}
		})
	}
}

// page is the set-up page as the operator's browser sees it.
func (r *rig) page(t *testing.T) string {
	t.Helper()
	status, page := r.get(t, r.srv.URL+"/")
	if status != http.StatusOK {
		t.Fatalf("set-up page: %d\n%s", status, page)
	}
	return page
}

// TestTokenWorksOnce: once an App is registered, neither the token nor a
// state issued before (a second tab) registers anything.
func TestTokenWorksOnce(t *testing.T) {
	r := newRig(t, nil)
	action2, manifest2 := form(t, r.page(t)) // a second tab
	if status, page := r.register(t); status != http.StatusOK {
		t.Fatalf("registration: %d\n%s", status, page)
	}
	second := r.approve(t, action2, manifest2)
	if status, page := r.get(t, second.String()); status/100 != 4 {
		t.Errorf("second tab's callback after registration: %d\n%s", status, page)
	}
	if r.converted(second.Query().Get("code")) || len(r.reported) != 1 {
		t.Errorf("a second App was registered: %+v", r.reported)
	}

	resp, page := do(t, noFollow, mustRequest(t, r.srv.URL+"/?token="+r.opts.Token))
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) != 0 || actionRE.MatchString(page) ||
		!strings.Contains(page, "the set-up URL no longer works") {
		t.Errorf("token after registration: %d, cookies %v:\n%s", resp.StatusCode, resp.Cookies(), page)
	}
	if _, page := get(t, r.srv.URL+"/"); strings.Contains(page, "App ID") || !strings.Contains(page, "cohortbot is registered") {
		t.Errorf("a stranger sees the registration's details or no word of it:\n%s", page)
	}
	if _, page := r.get(t, r.srv.URL+"/"); !strings.Contains(page, "App ID") {
		t.Errorf("the operator's browser no longer sees the next steps:\n%s", page)
	}
}

func mustRequest(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
