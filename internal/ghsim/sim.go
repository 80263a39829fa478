// Package ghsim is an in-process simulated GitHub: an HTTP server speaking the
// subset of GitHub's REST API that cohortbot uses, with GitHub's JSON shapes,
// in-memory state, a record of every request, and signed webhook deliveries.
//
// It is used by tests and by the `cohortbot demo` command, so it does not
// depend on package testing. Typical use:
//
//	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("unhandled %s %s", m, p) }})
//	defer sim.Close()
//	sim.AddInstallation(1, "org")
//	sim.AddRepo(1, "org/mentoring", false)
//	// bot: GITHUB_V3_API_URL=sim.URL()+"/", GITHUB_APP_INTEGRATION_ID=sim.AppID(),
//	// GITHUB_APP_PRIVATE_KEY=sim.PrivateKeyPEM(), GITHUB_APP_WEBHOOK_SECRET=sim.WebhookSecret()
//	sim.SetWebhook(botURL+"/api/github/hook", "")
//	sim.OpenIssue("alice", "org/mentoring", "New cohort", body, "cohort/request")
//	sim.WaitDeliveries()
package ghsim

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configures a Sim.
type Options struct {
	// OnUnknown is called for every request the sim does not implement (the
	// sim also answers 404 and records it). Tests pass a func that calls
	// t.Errorf; the demo logs.
	OnUnknown func(method, path string)
	// OnInvalid is called for each way a request the sim serves departs
	// from GitHub's REST description (an unknown query parameter, a body
	// the operation's schema refuses, …); the sim answers as GitHub would.
	// When nil, OnUnknown is called instead, with the problem appended to
	// the path, so a test that fails on unknown calls fails on these too.
	OnInvalid func(method, path, problem string)
	// SecondaryLimits makes the sim enforce GitHub's documented limits on
	// content creation (80 writes a minute, 500 an hour per installation;
	// secondary.go), answering 403 with Retry-After past them. Off by
	// default: tests that drive time with an injected clock opt in.
	SecondaryLimits bool
	// AppSlug is the App's slug; the bot user is AppSlug+"[bot]". Default "cohortbot".
	AppSlug string
	// Now is the clock for created_at/updated_at; default time.Now.
	Now func() time.Time
	// EmitBotEvents makes the sim send the webhooks GitHub sends for what the
	// installation itself does through the REST API (issues.opened,
	// issue_comment.created, issues.labeled, … with the bot as sender).
	EmitBotEvents bool
	// Listener, when set, is where the sim serves (cmd/ghsim listens on the
	// address the operator chose); nil means a free port on 127.0.0.1. Close
	// closes it.
	Listener net.Listener
	// Key is the App's private key; nil generates one (2048-bit RSA, a
	// good part of a second of CPU: a harness starting hundreds of sims
	// shares one key between them).
	Key *rsa.PrivateKey
}

// Sim is a simulated GitHub. All methods are safe for concurrent use.
type Sim struct {
	mu   sync.Mutex
	cond *sync.Cond // signalled on delivery queue changes; uses mu

	opts   Options
	ln     net.Listener
	srv    *http.Server
	url    string
	key    *rsa.PrivateKey
	keyPEM []byte
	appID  int64
	routes []route

	st state

	requests  []Request
	reqSeq    int64
	intercept func(http.ResponseWriter, *http.Request) bool
	rate      map[int64]*rateWindow
	writes    map[int64][]time.Time // content-creating requests per installation (secondary.go)
	limitNow  func() time.Time      // clock of the content limits; nil = time.Now (tests set it)
	search    searchState           // GET /search/issues (search.go)

	apps  appRegistry // App-manifest registrations (manifest.go)
	oauth oauthState  // the OAuth web flow (oauth.go)

	hookURL    string
	hookSecret string
	deliveries []Delivery
	queue      []int // indexes into deliveries
	inflight   bool
	closed     bool
	cancel     context.CancelFunc
	workerDone chan struct{}
}

// New creates a Sim listening on 127.0.0.1 on a free port, or on
// opts.Listener. Close stops it. It panics if it cannot listen or generate
// its key (as httptest.NewServer does).
func New(opts Options) *Sim {
	if opts.AppSlug == "" {
		opts.AppSlug = "cohortbot"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	key, err := opts.Key, error(nil)
	if key == nil {
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(fmt.Sprintf("ghsim: generating key: %v", err))
		}
	}
	ln := opts.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			panic(fmt.Sprintf("ghsim: listen: %v", err))
		}
	}
	s := &Sim{
		opts:       opts,
		ln:         ln,
		url:        "http://" + ln.Addr().String(),
		key:        key,
		keyPEM:     pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		appID:      424242,
		hookSecret: randomHex(20),
		rate:       map[int64]*rateWindow{},
		workerDone: make(chan struct{}),
	}
	s.cond = sync.NewCond(&s.mu)
	s.st.init(s)
	s.routes = s.buildRoutes()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() { _ = s.srv.Serve(ln) }()
	go s.deliveryWorker(ctx)
	return s
}

// URL is the base URL of the sim, e.g. http://127.0.0.1:38123 (no trailing slash).
// REST paths sit at the root, as on api.github.com.
func (s *Sim) URL() string { return s.url }

// Close stops the server and the webhook delivery goroutine. Deliveries still
// queued are dropped.
func (s *Sim) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
	s.cancel()
	_ = s.srv.Close()
	<-s.workerDone
}

// AppID is the GitHub App's id (the `iss` of its JWTs).
func (s *Sim) AppID() int64 { return s.appID }

// PrivateKeyPEM is the App's RSA private key (PKCS#1 PEM), as GitHub hands it out.
func (s *Sim) PrivateKeyPEM() []byte { return append([]byte(nil), s.keyPEM...) }

// WebhookSecret is the secret used to sign deliveries (random unless SetWebhook sets one).
func (s *Sim) WebhookSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookSecret
}

// AppSlug is the App's slug, e.g. "cohortbot".
func (s *Sim) AppSlug() string { return s.opts.AppSlug }

// BotLogin is the login of the App's bot user, AppSlug()+"[bot]".
func (s *Sim) BotLogin() string { return s.opts.AppSlug + "[bot]" }

// SetIntercept installs a hook run before routing every request. When it
// returns true it has answered the request (fault injection: 502s, secondary
// rate limits, …); the request is still recorded. nil removes the hook.
func (s *Sim) SetIntercept(f func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.intercept = f
}

// DisableSubIssues makes POST /repos/{o}/{r}/issues/{n}/sub_issues answer 404,
// as on a GitHub where sub-issues are not available.
func (s *Sim) DisableSubIssues() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.subIssuesOff = true
}

// now is the sim clock, in UTC with GitHub's one-second resolution.
func (s *Sim) now() time.Time {
	return s.opts.Now().UTC().Truncate(time.Second)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// newUUID returns a random (version 4) UUID string, as X-GitHub-Delivery.
func newUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
