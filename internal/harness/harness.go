// Package harness runs the real cohortbot server against the simulated
// GitHub over loopback HTTP: the simulated GitHub signs and delivers
// webhooks to the server's real route, and the server's GitHub clients call
// the simulated REST API. End-to-end tests and `cohortbot demo` use it.
package harness

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/server"
)

// Options configure a harness.
type Options struct {
	// DatabaseURL; required (tests use testdb, the demo a temp file). A
	// SQLite file that does not exist yet starts as a copy of a migrated
	// template (seedSQLite), made once per process.
	DatabaseURL string
	// OnUnknown receives API calls the simulated GitHub does not know.
	OnUnknown func(method, path string)
	// Logger for the server; zero value discards.
	Logger zerolog.Logger
	// Now is the clock of the simulated GitHub and the server (nil: time.Now).
	Now func() time.Time
	// Repo is the mentoring repository (default "kubernetes/community").
	Repo string
	// EmitBotEvents: the simulated GitHub also delivers the events the bot's
	// own writes cause, as GitHub does.
	EmitBotEvents bool
	// ConfigTTL is passed to the server (negative: no config cache).
	ConfigTTL time.Duration
	// ClientTimeout and Pacing are passed to the server (fault tests).
	ClientTimeout time.Duration
	Pacing        gh.PacerOptions
	// CoalesceWindow is passed to the server (0: its default).
	CoalesceWindow time.Duration
	// PollInterval is the queue's (0: its default, 100 ms).
	PollInterval time.Duration
}

// Harness is a running server wired to a simulated GitHub.
type Harness struct {
	Sim    *ghsim.Sim
	Server *server.Server
	Repo   string
	URL    string // the server's base URL
	cancel context.CancelFunc
	done   chan error
	// cfg and sopts rebuild the server on Restart.
	cfg   config.Server
	sopts server.Options
}

// InstallationID is the App installation of the harness's organization.
const InstallationID = 4242

// Start starts the simulated GitHub and the server.
func Start(ctx context.Context, o Options) (*Harness, error) {
	if o.Repo == "" {
		o.Repo = "kubernetes/community"
	}
	key, err := simKey()
	if err != nil {
		return nil, err
	}
	if err := seedSQLite(o.DatabaseURL); err != nil {
		return nil, err
	}
	sim := ghsim.New(ghsim.Options{OnUnknown: o.OnUnknown, Now: o.Now, EmitBotEvents: o.EmitBotEvents, Key: key})
	owner := o.Repo[:indexSlash(o.Repo)]
	sim.AddInstallation(InstallationID, owner)
	sim.AddRepo(InstallationID, o.Repo, false)

	cfg, err := config.LoadServer("", func(string) (string, bool) { return "", false })
	if err != nil {
		sim.Close()
		return nil, err
	}
	cfg.DatabaseURL = o.DatabaseURL
	cfg.GitHub.V3APIURL = sim.URL() + "/"
	cfg.GitHub.V4APIURL = sim.URL() + "/graphql"
	cfg.GitHub.WebURL = sim.URL()
	cfg.GitHub.App.IntegrationID = sim.AppID()
	cfg.GitHub.App.PrivateKey = string(sim.PrivateKeyPEM())
	cfg.GitHub.App.WebhookSecret = "harness-webhook-secret"
	if err := cfg.LoadCredentials(); err != nil {
		sim.Close()
		return nil, err
	}
	// No periodic tick: tests and the demo tick explicitly, at the instants
	// they choose (River would run its first tick whenever this process is
	// elected leader, landing in the middle of some later step).
	h := &Harness{Sim: sim, Repo: o.Repo, cfg: cfg, sopts: server.Options{Logger: o.Logger, Now: o.Now, Clock: o.Now,
		NoPeriodic: true, ClientTimeout: o.ClientTimeout, Pacing: o.Pacing, ConfigTTL: o.ConfigTTL, CoalesceWindow: o.CoalesceWindow, PollInterval: o.PollInterval}}
	if err := h.serve(ctx); err != nil {
		sim.Close()
		return nil, err
	}
	return h, nil
}

// serve builds the server on the harness's database and starts it.
func (h *Harness) serve(ctx context.Context) error {
	srv, err := server.New(ctx, h.cfg, h.sopts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Store.Close()
		return err
	}
	h.Server, h.URL, h.done = srv, "http://"+ln.Addr().String(), make(chan error, 1)
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h.cancel = cancel
	go func() { h.done <- srv.Serve(sctx, ln) }()
	h.Sim.SetWebhook(h.URL+"/api/github/hook", h.cfg.GitHub.App.WebhookSecret)
	return h.waitReady()
}

// Restart stops the server (gracefully: its jobs stay in the database) and
// starts a new one on the same database and simulated GitHub, as a
// redeployed process would.
func (h *Harness) Restart(ctx context.Context) error {
	h.cancel()
	if err := <-h.done; err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	return h.serve(ctx)
}

func indexSlash(s string) int {
	for i := range s {
		if s[i] == '/' {
			return i
		}
	}
	return len(s)
}

func (h *Harness) waitReady() error {
	for i := 0; i < 100; i++ {
		resp, err := http.Get(h.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("server did not become ready")
}

// WaitIdle waits until every webhook has been delivered and every job
// processed (including deliveries caused by processing), or the timeout.
func (h *Harness) WaitIdle(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	quiet := 0
	for time.Now().Before(deadline) {
		h.Sim.WaitDeliveries()
		n, err := h.Server.Queue.Pending(context.Background())
		if err != nil {
			return err
		}
		if n == 0 {
			quiet++
			if quiet >= 3 {
				return nil
			}
		} else {
			quiet = 0
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("not idle after %s", timeout)
}

// Close stops the server and the simulated GitHub.
func (h *Harness) Close() error {
	h.cancel()
	err := <-h.done
	h.Sim.Close()
	return err
}
