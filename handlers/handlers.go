// Package handlers adapts GitHub webhook events to cohortbot's flows. Each
// event has one file. A handler has two halves: Relevant, run in the HTTP
// request, decides from a few payload fields — without the database or the
// API — whether the delivery must be stored; Handle, run later by a durable
// worker, decodes the payload, builds the installation client and calls the
// flow in internal/bot. Everything worth testing lives in the flow.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/bot/schedule"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/appconfig"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/gh"
)

// Deps is what every handler needs.
type Deps struct {
	Clients githubapp.ClientCreator
	Env     *kernel.Env
	Config  *appconfig.Loader
	// Labels caches labels known to exist, shared by all clients.
	Labels *sync.Map
	// Configs caches repositories' parsed cohortbot.yml for a short while.
	Configs *kernel.ConfigCache
}

// configFor is the repository-config source of an installation client.
func (d *Deps) configFor(raw *github.Client) kernel.AppConfig {
	return kernel.AppConfig{Loader: d.Config, Client: raw, Cache: d.Configs}
}

// Handler is a go-githubapp event handler that can also say, cheaply,
// whether a delivery matters.
type Handler interface {
	githubapp.EventHandler
	// Relevant reports whether the delivery must be stored and processed;
	// when not, why says why (for the debug log and metrics).
	Relevant(eventType string, payload []byte) (ok bool, why string)
}

// All is the one explicit registration list of handlers.
func All(d *Deps) []Handler {
	return []Handler{
		&Issues{d},
		&IssueComment{d},
		&PullRequest{d},
		&PullRequestReview{d},
	}
}

// Events lists every event some handler handles (the App manifest must
// subscribe to each).
func Events(hs []Handler) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Handles()...)
	}
	return out
}

// ErrBadPayload marks a payload that cannot be processed however often it is
// retried.
var ErrBadPayload = errors.New("bad payload")

func badPayload(err error) error { return fmt.Errorf("%w: %v", ErrBadPayload, err) }

// client builds the GitHub access of one installation.
func (d *Deps) client(installation int64) (*gh.Client, *github.Client, error) {
	if installation == 0 {
		return nil, nil, badPayload(errors.New("payload names no installation"))
	}
	raw, err := d.Clients.NewInstallationClient(installation)
	if err != nil {
		return nil, nil, fmt.Errorf("create client for installation %d: %w", installation, err)
	}
	return gh.New(raw, d.Labels), raw, nil
}

// Searcher is the installation's search access, for retention follow-ups.
func (d *Deps) Searcher(installation int64) (kernel.Searcher, error) {
	g, _, err := d.client(installation)
	if err != nil {
		return nil, err
	}
	return g, nil
}

// senderIsBot reports deliveries caused by a bot (ours or another), which
// never count as anyone's activity and never trigger anything: no loops.
func senderIsBot(payload []byte) bool {
	s := gjson.GetBytes(payload, "sender")
	return s.Get("type").String() == "Bot" || hasBotSuffix(s.Get("login").String())
}

func hasBotSuffix(login string) bool {
	return len(login) > 5 && login[len(login)-5:] == "[bot]"
}

// Render re-renders one bot-owned region (the render job's work).
func (d *Deps) Render(ctx context.Context, a kernel.RenderArgs) error {
	c, err := d.Env.Store.Cohort(ctx, a.CohortID)
	if err != nil {
		return err
	}
	g, _, err := d.client(c.InstallationID)
	if err != nil {
		return err
	}
	return render.Render(ctx, d.Env, g, a)
}

// Installation gives the scheduler an installation's GitHub access and
// repository config.
func (d *Deps) Installation(_ context.Context, id int64) (kernel.TickGitHub, kernel.ConfigSource, error) {
	g, raw, err := d.client(id)
	if err != nil {
		return nil, nil, err
	}
	return g, d.configFor(raw), nil
}

// Tick runs the scheduler's work as of now.
func (d *Deps) Tick(ctx context.Context, now time.Time) (schedule.TickReport, error) {
	return schedule.Tick(ctx, d.Env, d.Installation, now)
}
