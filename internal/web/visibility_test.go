package web_test

import (
	"encoding/base64"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

const privatePath = "/cohorts/" + privateRepo + "/acme-2027"

// oauthSite serves the seeded program with sign-in through a simulated
// GitHub where "reader" may read the private repository and "stranger" not.
func oauthSite(t *testing.T, dbURL string) (*site, *ghsim.Sim) {
	sim := ghsim.New(ghsim.Options{})
	t.Cleanup(sim.Close)
	sim.AddInstallation(1, "acme")
	sim.AddRepo(1, privateRepo, true)
	sim.SetPermission(privateRepo, "reader", "read")
	st := openStore(t, dbURL)
	seed(t, st, program())
	id, secret := sim.OAuthCredentials()
	s := serve(t, st, func(o *web.Options) {
		o.WebURL, o.APIURL, o.ClientID, o.ClientSecret = sim.URL(), sim.URL()+"/", id, secret
	})
	return s, sim
}

// browser is a client with a cookie jar that follows redirects, as a
// browser does.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// signIn runs the whole sign-in as login and returns the page it lands on.
func signIn(t *testing.T, s *site, sim *ghsim.Sim, c *http.Client, login string) page {
	sim.SignInAs(login)
	return fetch(t, c, s.srv.URL+"/login?next="+url.QueryEscape(privatePath))
}

// sees reports whether the client is shown the private cohort: its page and
// its row on the overview, and whether the check-in text is on the page.
func sees(t *testing.T, s *site, c *http.Client) (pageOK, listed, text bool) {
	p := fetch(t, c, s.srv.URL+privatePath)
	ov := fetch(t, c, s.srv.URL+"/")
	_, listed = overviewRows(ov.doc)["acme-2027"]
	return p.status == 200, listed, strings.Contains(p.body, secretText) || strings.Contains(ov.body, secretText)
}

// TestPrivateCohortVisibility: a private repository's cohort is shown only
// to a signed-in visitor who can read the repository, and never through a
// forged or expired session.
func TestPrivateCohortVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL string) {
		s, sim := oauthSite(t, dbURL)
		check := func(name string, c *http.Client, want bool) {
			t.Helper()
			pageOK, listed, text := sees(t, s, c)
			if pageOK != want || listed != want || text != want {
				t.Errorf("%s: page %v, listed %v, check-in text shown %v; want all %v", name, pageOK, listed, text, want)
			}
		}
		check("anonymous", nil, false)

		stranger := browser(t)
		if p := signIn(t, s, sim, stranger, "stranger"); p.status != 404 {
			t.Errorf("stranger lands on status %d, want 404", p.status)
		}
		check("signed in without access", stranger, false)

		reader := browser(t)
		if p := signIn(t, s, sim, reader, "reader"); p.status != 200 || !strings.Contains(p.body, "Signed in as @reader") {
			t.Errorf("reader lands on status %d (want 200, signed in)", p.status)
		}
		check("signed in with access", reader, true)

		// Forged: the stranger's cookie with the repository added to its
		// payload, signature kept; and a cookie signed with another key.
		u, _ := url.Parse(s.srv.URL)
		var cookie *http.Cookie
		for _, ck := range stranger.Jar.Cookies(u) {
			if ck.Name == "cohortbot_session" {
				cookie = ck
			}
		}
		if cookie == nil {
			t.Fatal("the stranger has no session cookie")
		}
		payload, sig, _ := strings.Cut(cookie.Value, ".")
		raw, _ := base64.RawURLEncoding.DecodeString(payload)
		forged := strings.Replace(string(raw), `"r":null`, `"r":["`+privateRepo+`"]`, 1)
		if forged == string(raw) {
			t.Fatalf("cannot forge the payload %s", raw)
		}
		for name, value := range map[string]string{
			"forged payload": base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + sig,
			"other key":      otherKeyCookie(t, forged),
		} {
			c := browser(t)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: "cohortbot_session", Value: value, Path: "/"}})
			check(name, c, false)
		}

		s.clock.Add(web.SessionTTL + time.Minute)
		check("expired session", reader, false)
	})
}

// otherKeyCookie signs payload as a server with another client secret would.
func otherKeyCookie(t *testing.T, payload string) string {
	other := web.New(web.Options{ClientID: "x", ClientSecret: "another-secret"})
	return other.SignedSessionForTest(payload)
}
