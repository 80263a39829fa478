package ghsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The App's OAuth web flow ("sign in with GitHub"), as GitHub serves it:
// the authorize page redirects back with a one-time code, the code is
// exchanged for a user token, and the token reads /user and the
// repositories the user can reach through an installation. The sim has no
// browser session: SignInAs says which user the next authorizations are for.

// oauthState is the flow's state; guarded by Sim.mu.
type oauthState struct {
	secret string
	login  string               // the user signed in to the sim's "github.com"
	codes  map[string]oauthCode // one-time codes
	users  map[string]string    // user token -> login
}

type oauthCode struct {
	login, redirect string
	expires         time.Time
}

func (o *oauthState) init() {
	if o.codes == nil {
		o.secret = "simsecret_" + randomHex(16)
		o.codes = map[string]oauthCode{}
		o.users = map[string]string{}
	}
}

// OAuthCredentials are the App's client id and client secret.
func (s *Sim) OAuthCredentials() (clientID, clientSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth.init()
	return s.oauthClientID(), s.oauth.secret
}

func (s *Sim) oauthClientID() string { return "Iv1.sim" + strconv.FormatInt(s.appID, 16) }

// SignInAs makes login the user who authorizes the App at the next visits
// of /login/oauth/authorize ("" signs out: authorizing is then refused).
func (s *Sim) SignInAs(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth.init()
	s.oauth.login = login
	if login != "" {
		s.st.ensureUser(login)
	}
}

func (s *Sim) oauthRoutes() []route {
	var rs []route
	open := func(method, pattern string, h handlerFunc) {
		rs = append(rs, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), auth: authNone, h: h})
	}
	open("GET", "/login/oauth/authorize", s.oauthAuthorize)
	open("POST", "/login/oauth/access_token", s.oauthExchange)
	open("GET", "/user", s.oauthUser)
	open("GET", "/user/installations/{id}/repositories", s.oauthUserRepos)
	return rs
}

// GET /login/oauth/authorize?client_id=&redirect_uri=&state=
func (s *Sim) oauthAuthorize(c *ctx) (int, any) {
	s.oauth.init()
	q := c.r.URL.Query()
	if q.Get("client_id") != s.oauthClientID() {
		return http.StatusNotFound, webPage{html: []byte("<!doctype html><title>404</title><p>Unknown client_id.")}
	}
	if s.oauth.login == "" {
		return http.StatusUnauthorized, webPage{html: []byte("<!doctype html><title>Sign in</title><p>Sign in to GitHub first.")}
	}
	u, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || u.Scheme == "" {
		return http.StatusBadRequest, webPage{html: []byte("<!doctype html><title>400</title><p>Bad redirect_uri.")}
	}
	code := randomHex(10)
	s.oauth.codes[code] = oauthCode{login: s.oauth.login, redirect: u.String(), expires: time.Now().Add(10 * time.Minute)}
	v := u.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	u.RawQuery = v.Encode()
	return http.StatusFound, webPage{location: u.String()}
}

// POST /login/oauth/access_token (form or query: client_id, client_secret,
// code). GitHub answers 200 with an "error" field when the code is bad.
func (s *Sim) oauthExchange(c *ctx) (int, any) {
	s.oauth.init()
	form, _ := url.ParseQuery(string(c.body))
	get := func(k string) string {
		if v := form.Get(k); v != "" {
			return v
		}
		return c.r.URL.Query().Get(k)
	}
	if get("client_id") != s.oauthClientID() || get("client_secret") != s.oauth.secret {
		return http.StatusOK, obj{"error": "incorrect_client_credentials"}
	}
	code, ok := s.oauth.codes[get("code")]
	delete(s.oauth.codes, get("code"))
	if !ok || time.Now().After(code.expires) {
		return http.StatusOK, obj{"error": "bad_verification_code"}
	}
	tok := "ghu_" + randomHex(18)
	s.oauth.users[tok] = code.login
	return http.StatusOK, obj{"access_token": tok, "token_type": "bearer", "scope": ""}
}

func (s *Sim) oauthLogin(c *ctx) (string, bool) {
	s.oauth.init()
	login, ok := s.oauth.users[tokenFrom(c.r)]
	return login, ok
}

// GET /user (user token)
func (s *Sim) oauthUser(c *ctx) (int, any) {
	login, ok := s.oauthLogin(c)
	if !ok {
		return errResp(http.StatusUnauthorized, "Bad credentials")
	}
	return http.StatusOK, s.renderUser(s.st.ensureUser(login))
}

// GET /user/installations/{id}/repositories (user token): the installation's
// repositories the user can read (public ones, and private ones where the
// user has a permission); 404 when the user can reach none.
func (s *Sim) oauthUserRepos(c *ctx) (int, any) {
	login, ok := s.oauthLogin(c)
	if !ok {
		return errResp(http.StatusUnauthorized, "Bad credentials")
	}
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	var list []any
	for _, r := range s.st.repos {
		if r.Installation == id && (!r.Private || r.permission(login) != "none") {
			list = append(list, s.renderRepo(r))
		}
	}
	if len(list) == 0 {
		return notFound()
	}
	return http.StatusOK, obj{"total_count": len(list), "repositories": list}
}

// SetPrivate changes a repository's visibility (GitHub's "Change
// visibility"); the webhooks delivered afterwards carry the new value.
func (s *Sim) SetPrivate(fullName string, private bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.repo(fullName); r != nil {
		r.Private = private
	}
}
