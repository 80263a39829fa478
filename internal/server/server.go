// Package server wires cohortbot together: store, job queue, GitHub clients,
// handlers and the HTTP routes. main → run → these small builders.
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/progress"
	"github.com/cohortbot/cohortbot/internal/bot/schedule"

	"github.com/gregjones/httpcache"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/riverqueue/river"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/web"
)

// Version is the build's version, set by the linker in releases.
var Version = "dev"

// Options are what callers other than `serve` (tests, demo) adjust.
type Options struct {
	Logger zerolog.Logger
	// Now is the clock for flows; nil means time.Now.
	Now func() time.Time
	// Clock is the wall clock for what must not follow `tick --at` (the
	// pages' sign-in sessions); nil means time.Now. Tests set it to their
	// fake clock, which the simulated GitHub shares.
	Clock func() time.Time
	// NoWorkers stores deliveries without processing them.
	NoWorkers bool
	// ConfigTTL is how long a repository's parsed config is reused: 0 means
	// a minute, negative means never (tests that change the file mid-way).
	ConfigTTL time.Duration
	// NoPeriodic leaves the scheduler's periodic tick out (`cohortbot tick`
	// runs one tick itself, as of its --at instant).
	NoPeriodic bool
	// ClientTimeout bounds one GitHub request (default 30s; tests shorten it).
	ClientTimeout time.Duration
	// Pacing tunes the per-installation pacing of GitHub requests (zero:
	// GitHub's limits, 80 writes a minute); tests speed it up.
	Pacing gh.PacerOptions
	// MetricsListener serves /metrics when the configuration names a
	// metrics address (nil: Serve listens on it); tests pass one on port 0.
	MetricsListener net.Listener
	// NoWebhooks is for commands that accept no webhooks (receive, tick):
	// they need no webhook secret, and the webhook route refuses every
	// delivery instead of checking signatures against an empty secret.
	NoWebhooks bool
	// GitHubMiddleware, when set, wraps every GitHub client's transport,
	// outermost: the CLI's dry runs answer writes themselves and count
	// what was sent. Token requests do not pass through it.
	GitHubMiddleware githubapp.ClientMiddleware
	// CoalesceWindow is how long a re-render waits for more changes
	// (0: kernel.CoalesceWindow); the demo shortens it, having no GitHub to
	// spare.
	CoalesceWindow time.Duration
	// PollInterval is the queue's (0: its default); tests shorten it.
	PollInterval time.Duration
}

// Server is a configured, not yet running cohortbot.
type Server struct {
	cfg     config.Server
	opts    Options
	Store   *store.Store
	Queue   *queue.Queue
	Metrics *Metrics
	// Pacer keeps each installation within GitHub's rate limits.
	Pacer    *gh.Pacer
	Handlers []handlers.Handler
	Deps     *handlers.Deps
	mux      *http.ServeMux
	// responses is the HTTP cache of every installation's GitHub client.
	responses *lruCache
}

// New builds the service from its configuration. Credentials must have been
// checked (config.Server.LoadCredentials).
func New(ctx context.Context, cfg config.Server, opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	// go-github skips the signature check when the secret is empty: never
	// accept webhooks unsigned, whatever the caller checked before.
	if strings.TrimSpace(cfg.GitHub.App.WebhookSecret) == "" && !opts.NoWebhooks {
		return nil, errors.New("no webhook secret (GITHUB_APP_WEBHOOK_SECRET): cohortbot never accepts unsigned webhooks")
	}
	cfg.Limits.Defaults()
	if err := cfg.Limits.Validate(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, opts: opts, Store: st, Metrics: NewMetrics(Version)}
	s.Pacer = s.newPacer()
	cc, err := s.newClientCreator()
	if err != nil {
		st.Close()
		return nil, err
	}
	deps := s.newDeps(cc)
	s.Deps = deps
	s.Handlers = handlers.All(deps)
	if s.Queue, err = s.newQueue(deps); err != nil {
		st.Close()
		return nil, err
	}
	deps.Env.Jobs = s.Queue
	deps.Env.Budget = s.Pacer
	s.mux = s.newMux()
	return s, nil
}

func (s *Server) newClientCreator() (githubapp.ClientCreator, error) {
	gc := githubapp.Config{WebURL: s.cfg.GitHub.WebURL, V3APIURL: s.cfg.GitHub.V3APIURL, V4APIURL: s.cfg.GitHub.V4APIURL}
	gc.App.IntegrationID = s.cfg.GitHub.App.IntegrationID
	gc.App.WebhookSecret = s.cfg.GitHub.App.WebhookSecret
	gc.App.PrivateKey = s.cfg.GitHub.App.PrivateKey
	s.responses = newLRUCache(s.cfg.Limits.HTTPCacheBytes)
	responses := s.responses
	cc, err := githubapp.NewDefaultCachingClientCreator(gc,
		githubapp.WithClientUserAgent("cohortbot/"+Version),
		// One cache, bounded in bytes, for every installation's client:
		// go-githubapp asks for a cache per client it creates (up to 64).
		// Sharing leaks nothing between installations: every cached
		// response is revalidated with the asking client's token
		// (alwaysValidate), and GitHub's Vary: Authorization makes another
		// token's entry a miss.
		githubapp.WithClientCaching(true, func() httpcache.Cache { return responses }),
		githubapp.WithClientMiddleware(s.clientMiddleware()...),
	)
	if err != nil {
		return nil, err
	}
	return gh.Paced(cc, s.Pacer), nil
}

// clientMiddleware is every GitHub client's middleware, outermost first.
func (s *Server) clientMiddleware() []githubapp.ClientMiddleware {
	mw := []githubapp.ClientMiddleware{requestTimeout(s.clientTimeout()), s.Metrics.CountGitHub}
	if s.opts.GitHubMiddleware != nil {
		mw = append([]githubapp.ClientMiddleware{s.opts.GitHubMiddleware}, mw...)
	}
	return mw
}

func (s *Server) newDeps(cc githubapp.ClientCreator) *handlers.Deps {
	host, _ := os.Hostname()
	d := &handlers.Deps{
		Clients: cc,
		Env: &kernel.Env{Store: s.Store, Now: s.opts.Now, Owner: fmt.Sprintf("%s-%d-%p", host, os.Getpid(), s),
			LockTTL: time.Duration(s.cfg.JobTimeout), Flood: s.Metrics.newFloodGuard(),
			Organizers: kernel.NewOrganizerCache(kernel.OrganizerCacheTTL, kernel.OrganizerCacheSize),
			Search:     ladder.NewPacer(0, 0, s.opts.Now), WebURL: s.cfg.GitHub.WebURL},
		Config:  kernel.NewConfigLoader(),
		Labels:  &sync.Map{},
		Configs: s.configCache(),
	}
	// Retention follow-ups (SPEC §12) search through the same pacer as
	// ladder progress (SPEC §10).
	d.Env.Measurer = schedule.SearchMeasurer{Env: d.Env, Client: d.Searcher}
	return d
}

func (s *Server) newQueue(deps *handlers.Deps) (*queue.Queue, error) {
	log := s.opts.Logger
	opts := queue.Options{Concurrency: s.cfg.Workers, JobTimeout: time.Duration(s.cfg.JobTimeout), Logger: &log,
		PollInterval: s.opts.PollInterval}
	if !s.opts.NoWorkers {
		workers := river.NewWorkers()
		ds := newDeliveries(s.Handlers, s.Store, s.opts.Logger)
		ds.window = cmp.Or(s.opts.CoalesceWindow, kernel.CoalesceWindow)
		if err := river.AddWorkerSafely(workers, &deliveryWorker{d: ds}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &renderWorker{deps: deps, log: s.opts.Logger, window: cmp.Or(s.opts.CoalesceWindow, kernel.CoalesceWindow)}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &tickWorker{deps: deps, log: s.opts.Logger}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &ladderWorker{deps: deps, log: s.opts.Logger}); err != nil {
			return nil, err
		}
		opts.Workers = workers
		if !s.opts.NoWebhooks {
			// Ladder measurements (SPEC §10): serve's own worker; one-shot
			// commands leave them to it.
			opts.Queues = map[string]int{progress.LadderQueue: 1}
		}
		if !s.opts.NoPeriodic {
			opts.Periodic = s.periodic()
		}
	}
	return queue.New(s.Store, opts)
}

// periodic is the scheduler's periodic tick, run by River's elected leader.
func (s *Server) periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(
		river.PeriodicInterval(time.Duration(s.cfg.TickInterval)),
		func() (river.JobArgs, *river.InsertOpts) { return TickArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	)}
}

// WaitIdle waits until no job is pending, or the timeout.
func (s *Server) WaitIdle(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		n, err := s.Queue.Pending(ctx)
		if err != nil || n == 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("jobs still pending after %s; they run when the service runs", timeout)
}

func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	if s.opts.NoWebhooks {
		mux.HandleFunc(githubapp.DefaultWebhookRoute, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "this process accepts no webhooks", http.StatusServiceUnavailable)
		})
	} else {
		mux.Handle(githubapp.DefaultWebhookRoute, hookHandler(s.Handlers, s.cfg.GitHub.App.WebhookSecret, s.Queue, s.Metrics, s.opts.Logger, s.cfg.Limits))
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", s.ready)
	if s.cfg.MetricsAddress == "" {
		mux.Handle("/metrics", s.Metrics.Handler())
	}
	pages := s.webPages()
	for _, p := range web.Routes {
		mux.Handle(p, pages)
	}
	return mux
}

// webPages are the read-only pages of SPEC §14 (internal/web).
func (s *Server) webPages() *web.Handler {
	a := s.cfg.GitHub.App
	return web.New(web.Options{Store: s.Store, WebURL: s.cfg.GitHub.WebURL, APIURL: s.cfg.GitHub.V3APIURL,
		ClientID: a.ClientID, ClientSecret: a.ClientSecret, PublicURL: s.cfg.PublicURL, Now: s.opts.Clock, Logger: s.opts.Logger})
}

// Handler is the service's HTTP handler (all routes).
func (s *Server) Handler() http.Handler { return s.mux }

// Start begins processing jobs (not needed for NoWorkers servers).
func (s *Server) Start(ctx context.Context) error {
	if s.opts.NoWorkers {
		return nil
	}
	if err := s.Queue.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	go s.countJobs()
	return nil
}

func (s *Server) countJobs() {
	events, cancel := s.Queue.Subscribe()
	defer cancel()
	for ev := range events {
		if ev.Job != nil {
			s.Metrics.Jobs.WithLabelValues(ev.Job.Kind, string(ev.Kind)).Inc()
		}
	}
}

// Serve listens on the configured address until ctx ends, then shuts down
// gracefully: the HTTP server first, then the workers.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	srvs, lns, err := s.listeners(ln)
	if err != nil {
		s.Close(ctx)
		return err
	}
	errc := make(chan error, len(srvs))
	for i, srv := range srvs {
		go func() { errc <- srv.Serve(lns[i]) }()
	}
	s.opts.Logger.Info().Str("address", ln.Addr().String()).Str("metrics_address", s.cfg.MetricsAddress).
		Str("database", s.Store.Location).Msg("cohortbot serving")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	for _, srv := range srvs {
		if serr := srv.Shutdown(sctx); err == nil {
			err = serr
		}
	}
	if qerr := s.Close(sctx); err == nil {
		err = qerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close stops the workers and closes the database.
func (s *Server) Close(ctx context.Context) error {
	var err error
	if !s.opts.NoWorkers {
		err = s.Queue.Stop(ctx)
	}
	s.Store.Close()
	return err
}

// configCache is the process's repository-config cache (nil: none).
func (s *Server) configCache() *kernel.ConfigCache {
	switch {
	case s.opts.ConfigTTL < 0:
		return nil
	case s.opts.ConfigTTL == 0:
		return &kernel.ConfigCache{TTL: time.Minute}
	}
	return &kernel.ConfigCache{TTL: s.opts.ConfigTTL}
}
