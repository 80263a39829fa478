package setup

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
)

// cookieName holds the set-up token once the operator's browser has opened
// the set-up URL, so the token leaves the address bar (and any Referer) at
// once.
const cookieName = "cohortbot_setup"

// NewToken returns a fresh set-up token: 256 bits from crypto/rand, so the
// set-up page cannot be found by guessing.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// tokenMatches compares s with the set-up token in constant time; hashing
// both first keeps even the length from leaking through timing.
func (h *handler) tokenMatches(s string) bool {
	if h.opts.Token == "" || s == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(s)), sha256.Sum256([]byte(h.opts.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// operatorCookie returns the set-up cookie's value when r comes from the
// browser that opened the set-up URL, and "" otherwise.
func (h *handler) operatorCookie(r *http.Request) string {
	c, err := r.Cookie(cookieName)
	if err != nil || !h.tokenMatches(c.Value) {
		return ""
	}
	return c.Value
}

// redeem answers /?token=…: a valid token becomes an HttpOnly cookie and the
// browser is sent to the same page without it. SameSite=Lax, not Strict:
// GitHub sends the browser back with a top-level GET navigation from
// github.com, a cross-site request that would not carry a Strict cookie, and
// the callback needs it. Once the App is registered the token opens nothing.
func (h *handler) redeem(w http.ResponseWriter, r *http.Request, token string) {
	if h.registration() != nil {
		render(w, http.StatusOK, registeredPage, nil)
		return
	}
	if !h.tokenMatches(token) {
		render(w, http.StatusForbidden, lockedPage, true)
		return
	}
	scheme, _, _ := origin(r)
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: scheme == "https",
	})
	q := r.URL.Query()
	q.Del("token")
	target := "/"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (h *handler) registration() *registration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.registered
}
