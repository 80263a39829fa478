// Package setup is the first-run page of a cohortbot started without GitHub
// App credentials: it registers the App from app.yml through GitHub's
// App-manifest flow, so an operator never copies permissions and events by
// hand, and stores the resulting credentials in a file only its owner can read.
package setup

import (
	"crypto/rand"
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
	// PublicURL is where GitHub will send webhooks (COHORTBOT_PUBLIC_URL).
	PublicURL string
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
	states     map[string]time.Time // state → issued at
	registered *registration
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
	http.Error(w, "cohortbot is not registered yet: open / on this server to register the GitHub App; "+
		"webhooks are not processed until it has credentials", http.StatusServiceUnavailable)
}

// newState issues a single-use token tying GitHub's callback to a page this
// server rendered, so a forged callback cannot make it write credentials.
func (h *handler) newState() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := hex.EncodeToString(b)
	now := h.opts.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, t := range h.states {
		if now.Sub(t) > stateTTL || len(h.states) >= maxStates {
			delete(h.states, k)
		}
	}
	h.states[s] = now
	return s, nil
}

// takeState consumes state, reporting whether it was issued here and is fresh.
func (h *handler) takeState(s string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	t, ok := h.states[s]
	delete(h.states, s)
	return ok && h.opts.Now().Sub(t) <= stateTTL
}

// redirectURL is where GitHub sends the browser back. It is the public URL
// when the page was opened there; otherwise the address the browser used
// (registering from a workstation for a service deployed elsewhere), since
// only this process knows the state token.
func (h *handler) redirectURL(r *http.Request) string {
	const path = "/setup/callback"
	if pu, err := url.Parse(h.opts.PublicURL); err == nil && pu.Host != "" && strings.EqualFold(pu.Host, r.Host) {
		return strings.TrimSuffix(h.opts.PublicURL, "/") + path
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
