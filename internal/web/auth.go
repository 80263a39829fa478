package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// Sign-in with GitHub (the App's OAuth web flow): /login issues a random
// state, bound to the browser by a cookie and recorded in the database;
// /login/callback accepts it once, exchanges the code, uses the user's token
// to learn which private repositories with cohorts the user can read, and
// forgets the token. The session cookie carries only the login, those
// repositories and an expiry, signed with a key derived from the client
// secret (so every replica accepts it and nothing more must be configured).

const (
	sessionCookie = "cohortbot_session"
	stateCookie   = "cohortbot_oauth"
	// SessionTTL is how long a sign-in lasts; access is re-checked at the
	// next sign-in, so it also bounds how long a revoked reader still sees
	// a private cohort.
	SessionTTL = 8 * time.Hour
	stateTTL   = 10 * time.Minute
	// maxSessionRepos bounds the cookie (under 4 KB with long names).
	maxSessionRepos = 40
)

// session is a signed-in visitor.
type session struct {
	Login   string   `json:"l"`
	Repos   []string `json:"r"` // lower-cased owner/name of readable private repositories
	Expires int64    `json:"e"`
}

func (s *session) canRead(repo string) bool {
	if s == nil {
		return false
	}
	for _, r := range s.Repos {
		if r == strings.ToLower(repo) {
			return true
		}
	}
	return false
}

func sessionKey(secret string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("cohortbot web session v1"))
	return m.Sum(nil)
}

func (h *Handler) sign(payload string) string {
	m := hmac.New(sha256.New, h.cookie)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// encodeSession is the cookie value of s.
func (h *Handler) encodeSession(s session) string {
	b, _ := json.Marshal(s)
	p := base64.RawURLEncoding.EncodeToString(b)
	return p + "." + h.sign(p)
}

// session returns the visitor's valid session, or nil: no cookie, a bad
// signature, an expired one, or no OAuth configured.
func (h *Handler) session(r *http.Request) *session {
	if h.cookie == nil {
		return nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	p, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(h.sign(p))) {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return nil
	}
	var s session
	if json.Unmarshal(b, &s) != nil || s.Login == "" || h.opts.Now().Unix() >= s.Expires {
		return nil
	}
	return &s
}

func (h *Handler) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(h.opts.PublicURL, "https://")
}

func (h *Handler) callbackURL(r *http.Request) string {
	if h.opts.PublicURL != "" {
		return strings.TrimRight(h.opts.PublicURL, "/") + "/login/callback"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/login/callback"
}

// localPath keeps a ?next= that is a path of this site, "/" otherwise (no
// open redirect).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return "/"
	}
	return p
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if h.cookie == nil {
		h.message(w, r, http.StatusNotFound, "Sign-in is not available",
			"This cohortbot has no GitHub OAuth credentials, so it shows public repositories' cohorts only.")
		return
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	state := hex.EncodeToString(raw)
	now := h.opts.Now()
	err := h.opts.Store.PutOAuthState(r.Context(), state, now, now.Add(stateTTL))
	if errors.Is(err, store.ErrTooManySignIns) {
		w.Header().Set("Retry-After", "60")
		h.message(w, r, http.StatusServiceUnavailable, "Sign-in is busy", "Too many sign-ins are in progress; try again in a minute.")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(localPath(r.URL.Query().Get("next"))))
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: state + "." + next, Path: "/login",
		MaxAge: int(stateTTL / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	q := url.Values{"client_id": {h.opts.ClientID}, "redirect_uri": {h.callbackURL(r)}, "state": {state}}
	http.Redirect(w, r, h.opts.WebURL+"/login/oauth/authorize?"+q.Encode(), http.StatusFound)
}

func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	if h.cookie == nil {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	state, next := "", "/"
	if c, err := r.Cookie(stateCookie); err == nil {
		s, n, _ := strings.Cut(c.Value, ".")
		state = s
		if b, err := base64.RawURLEncoding.DecodeString(n); err == nil {
			next = localPath(string(b))
		}
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: "/login", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(q.Get("state"))) != 1 {
		h.message(w, r, http.StatusBadRequest, "Sign-in failed", "This sign-in did not start in this browser; sign in again.")
		return
	}
	ok, err := h.opts.Store.TakeOAuthState(r.Context(), state, h.opts.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		h.message(w, r, http.StatusBadRequest, "Sign-in failed", "This sign-in was already used or has expired; sign in again.")
		return
	}
	s, err := h.signIn(r.Context(), q.Get("code"))
	if err != nil {
		h.opts.Logger.Warn().Err(err).Msg("GitHub sign-in failed")
		h.message(w, r, http.StatusBadGateway, "Sign-in failed", "GitHub did not confirm the sign-in; try again.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: h.encodeSession(s), Path: "/",
		Expires: time.Unix(s.Expires, 0), MaxAge: int(SessionTTL / time.Second), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
