// Package setup is the first-run page of a cohortbot started without GitHub
// App credentials: it registers the App from app.yml through GitHub's
// App-manifest flow, so an operator never copies permissions and events by
// hand, and stores the resulting credentials in a file only its owner can read.
package setup

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Options configure the set-up server.
type Options struct {
	// ManifestYAML is app.yml.
	ManifestYAML []byte
	// PublicURL is where GitHub will send webhooks (COHORTBOT_PUBLIC_URL);
	// empty means the address the operator's browser used (see origin).
	PublicURL string
	// Token is the one-time set-up token (NewToken) that `serve` logs in the
	// set-up URL: only a browser that came with it may register the App.
	// Empty means nobody can, so a caller that forgets it fails closed.
	Token string
	// WebURL is GitHub's web URL (https://github.com, a GitHub Enterprise
	// Server's, or the simulated GitHub's).
	WebURL string
	// APIURL is GitHub's REST API URL (GITHUB_V3_API_URL).
	APIURL string
	// CredentialsPath is the file the credentials are written to.
	CredentialsPath string
	// Org registers the App under this organization instead of the
	// operator's own account; the page also offers to choose one.
	Org string
	// Now is the clock for state expiry; nil means time.Now.
	Now func() time.Time
	// OnRegistered, when set, is called once the credentials are written to
	// path (CredentialsPath, or CredentialsPath.APPID when that existed).
	OnRegistered func(c Credentials, path string)
	// Client makes the conversion request; nil means a default client.
	Client *http.Client
}

// stateTTL bounds how long a registration started on the page stays valid;
// GitHub's codes live an hour too.
const stateTTL = time.Hour

// maxStates keeps a page reloaded in a loop from growing memory without
// bound.
const maxStates = 1000

type handler struct {
	opts      Options
	manifest  manifest
	manifestE error

	mu         sync.Mutex
	states     map[string]time.Time // state nonce → issued at
	registered *registration
	exchanging bool // a callback is trading its code; a second one waits its turn
}

type registration struct {
	Credentials
	Path string
}

// New returns the set-up server's handler: the page at /, GitHub's callback
// at /setup/callback, /healthz and /readyz for probes, and 503 everywhere
// else (no webhook is processed without credentials).
func New(opts Options) http.Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.WebURL == "" {
		opts.WebURL = "https://github.com"
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://api.github.com/"
	}
	h := &handler{opts: opts, states: map[string]time.Time{}}
	h.manifest, h.manifestE = parseManifest(opts.ManifestYAML)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.index)
	mux.HandleFunc("GET /setup/callback", h.callback)
	// Probes pass: the process is healthy and the page must stay reachable
	// behind a load balancer that only routes to ready instances.
	mux.HandleFunc("GET /healthz", probe)
	mux.HandleFunc("GET /readyz", probe)
	mux.HandleFunc("/", notRegistered)
	return mux
}

func probe(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok (set-up mode: cohortbot is not registered yet)\n"))
}

func notRegistered(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "cohortbot is not registered yet: open the set-up URL from its log to register the GitHub App; "+
		"webhooks are not processed until it has credentials", http.StatusServiceUnavailable)
}

// newState issues a single-use state for the manifest flow, bound to the
// set-up cookie: a random nonce kept here (single use, an hour at most) and
// an HMAC of it keyed by the cookie's value, so a callback is honoured only
// for a page this server rendered to that browser.
func (h *handler) newState(cookie string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	nonce := hex.EncodeToString(b)
	now := h.opts.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, t := range h.states {
		if now.Sub(t) > stateTTL || len(h.states) >= maxStates {
			delete(h.states, k)
		}
	}
	h.states[nonce] = now
	return nonce + "." + stateMAC(cookie, nonce), nil
}

// takeState consumes state, reporting whether it was issued here for cookie
// and is fresh. A state whose MAC does not match is not consumed, so a forged
// one cannot cancel the operator's registration.
func (h *handler) takeState(cookie, state string) bool {
	nonce, sum, ok := strings.Cut(state, ".")
	if !ok || !hmac.Equal([]byte(sum), []byte(stateMAC(cookie, nonce))) {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	t, ok := h.states[nonce]
	delete(h.states, nonce)
	return ok && h.opts.Now().Sub(t) <= stateTTL
}

func stateMAC(key, nonce string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("cohortbot set-up state\x00" + nonce))
	return hex.EncodeToString(m.Sum(nil))
}

// urls are the webhook URL's base (the public URL, else the address the
// browser used, as Probot does) and the redirect URL's base. GitHub sends the
// browser back to the public URL when the page was opened there; otherwise
// to the address the browser used (registering from a workstation for a
// service deployed elsewhere), since only this process knows the state and
// the browser holds the cookie for that address.
func (h *handler) urls(r *http.Request) (hook, redirect string, err error) {
	scheme, host, err := origin(r)
	pub := strings.TrimSuffix(h.opts.PublicURL, "/")
	switch {
	case pub == "" && err != nil:
		return "", "", err
	case pub == "":
		return scheme + "://" + host, scheme + "://" + host, nil
	case err != nil:
		return pub, pub, nil
	}
	if pu, perr := url.Parse(pub); perr == nil && pu.Host != "" && strings.EqualFold(pu.Host, host) {
		return pub, pub, nil
	}
	return pub, scheme + "://" + host, nil
}
