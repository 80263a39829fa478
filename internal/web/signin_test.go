package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// step sends one request without following redirects and returns the status,
// the Location and the cookies set.
func step(t *testing.T, req *http.Request) (int, string, map[string]*http.Cookie) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	set := map[string]*http.Cookie{}
	for _, ck := range resp.Cookies() {
		set[ck.Name] = ck
	}
	return resp.StatusCode, resp.Header.Get("Location"), set
}

func get(t *testing.T, url string, cookies ...*http.Cookie) *http.Request {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return req
}

// TestSignInState: the OAuth state is bound to the browser that started the
// sign-in and is accepted once; the session cookie is HttpOnly, SameSite=Lax
// and expires.
func TestSignInState(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL string) {
		s, sim := oauthSite(t, dbURL)
		sim.SignInAs("reader")
		start := func() (*http.Cookie, string) {
			status, loc, set := step(t, get(t, s.srv.URL+"/login?next=/help"))
			if status != http.StatusFound || set["cohortbot_oauth"] == nil || !strings.HasPrefix(loc, sim.URL()+"/login/oauth/authorize?") {
				t.Fatalf("/login: %d %q %v", status, loc, set)
			}
			_, callback, _ := step(t, get(t, loc))
			if !strings.HasPrefix(callback, s.srv.URL+"/login/callback?") {
				t.Fatalf("authorize redirected to %q", callback)
			}
			return set["cohortbot_oauth"], callback
		}
		state, callback := start()
		status, loc, set := step(t, get(t, callback, state))
		ck := set["cohortbot_session"]
		if status != http.StatusSeeOther || loc != "/help" || ck == nil {
			t.Fatalf("callback: %d %q, session cookie %v", status, loc, ck)
		}
		got := []any{ck.HttpOnly, ck.SameSite, ck.Path, ck.MaxAge > 0, !ck.Expires.IsZero()}
		if d := cmp.Diff([]any{true, http.SameSiteLaxMode, "/", true, true}, got); d != "" {
			t.Errorf("session cookie HttpOnly, SameSite, Path, MaxAge, Expires (-want +got):\n%s", d)
		}

		tests := []struct {
			name    string
			req     func() *http.Request
			wantErr string
		}{
			{name: "replayed state", req: func() *http.Request { return get(t, callback, state) }},
			{name: "no state cookie", req: func() *http.Request { _, cb := start(); return get(t, cb) }},
			{name: "another browser's state", req: func() *http.Request {
				mine, _ := start()
				_, theirs := start()
				return get(t, theirs, mine)
			}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				status, _, set := step(t, tc.req())
				if status != http.StatusBadRequest || set["cohortbot_session"] != nil {
					t.Errorf("status %d, session cookie %v; want 400 and none", status, set["cohortbot_session"])
				}
			})
		}
	})
}

// TestNoOAuthCredentials: without OAuth credentials there is no sign-in and
// a private repository's cohorts are not shown at all.
func TestNoOAuthCredentials(t *testing.T) {
	st := openStore(t, testdb.SQLite(t))
	seed(t, st, program())
	s := serve(t, st, nil)
	pageOK, listed, text := sees(t, s, nil)
	login := fetch(t, nil, s.srv.URL+"/login")
	if pageOK || listed || text || login.status != http.StatusNotFound || strings.Contains(fetch(t, nil, s.srv.URL+"/").body, "Sign in") {
		t.Errorf("private page %v, listed %v, text %v, /login status %d; want nothing shown and no sign-in",
			pageOK, listed, text, login.status)
	}
}

// TestPendingSignInsBounded: /login, open to anyone, stores at most
// store.MaxPendingSignIns unfinished sign-ins; beyond that it answers 503
// until they expire.
func TestPendingSignInsBounded(t *testing.T) {
	s, sim := oauthSite(t, testdb.SQLite(t))
	sim.SignInAs("reader")
	ctx := context.Background()
	tx, err := s.st.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	exp := s.clock.Now().Add(5 * time.Minute).Unix()
	for i := 0; i < store.MaxPendingSignIns; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)`, fmt.Sprint("flood-", i), exp); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var got []int
	status, _, _ := step(t, get(t, s.srv.URL+"/login"))
	got = append(got, status)
	s.clock.Add(6 * time.Minute)
	status, _, _ = step(t, get(t, s.srv.URL+"/login"))
	got = append(got, status)
	if d := cmp.Diff([]int{http.StatusServiceUnavailable, http.StatusFound}, got); d != "" {
		t.Errorf("/login while flooded, then after the flood expired (-want +got):\n%s", d)
	}
}

// TestSignInReturnsOnlyHere: after sign-in the browser goes back to the
// page it came from, and never to another site (no open redirect).
func TestSignInReturnsOnlyHere(t *testing.T) {
	s, sim := oauthSite(t, testdb.SQLite(t))
	sim.SignInAs("reader")
	tests := []struct{ name, next, want string }{
		{name: "a page", next: "/help", want: "/help"},
		{name: "protocol-relative", next: "//evil.example/x", want: "/"},
		{name: "absolute", next: "https://evil.example/", want: "/"},
		{name: "backslash", next: "/\\evil.example", want: "/"},
		{name: "none", next: "", want: "/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, loc, set := step(t, get(t, s.srv.URL+"/login?next="+url.QueryEscape(tc.next)))
			_, callback, _ := step(t, get(t, loc))
			status, back, _ := step(t, get(t, callback, set["cohortbot_oauth"]))
			if status != http.StatusSeeOther || back != tc.want {
				t.Errorf("callback: %d to %q, want 303 to %q", status, back, tc.want)
			}
		})
	}
}
