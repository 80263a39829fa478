package kernel

import (
	"context"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
)

// ConfigSource loads a repository's cohortbot.yml. A broken file is a
// *ConfigError, not a plain error, so the flow can show it on the issue.
type ConfigSource interface {
	RepoConfig(ctx context.Context, repo string) (config.Repo, error)
}

// Env is what every flow gets: the store and the clock. GitHub access is
// passed per call, as the narrow interface each flow declares.
type Env struct {
	Store *store.Store
	// Now is the clock; flows never call time.Now themselves.
	Now func() time.Time
	// Owner identifies this worker in issue locks.
	Owner string
	// LockTTL is the lease of an issue or cohort lock (default 2 minutes):
	// the job timeout, since locks are held within one job attempt, so a
	// lease outlives its holder only when the holder's process died.
	LockTTL time.Duration
	// Jobs queues follow-up work (re-renders).
	Jobs Jobs
	// Budget says when an installation's GitHub budget runs low, so that
	// non-urgent work yields (nil: never low), see budget.go.
	Budget Budget
	// Flood is the per-user command budget (nil: unlimited), see flood.go.
	Flood *FloodGuard
	// Organizers caches organizer checks briefly (nil: no cache), see
	// organizer.go.
	Organizers *OrganizerCache
	// Measurer counts mentees' pull requests for the retention follow-ups
	// (nil: no follow-ups), see retention.go.
	Measurer Measurer
	// Search paces the search API's requests per installation (SPEC §10;
	// nil: one is made on first use), see ladder.go.
	Search *ladder.Pacer
	// WebURL is GitHub's web host, for the search links of ladder progress
	// (default https://github.com).
	WebURL string
}

var defaultSearch struct {
	once sync.Once
	p    *ladder.Pacer
}

// search is the env's search pacer.
func (e *Env) SearchPacer() *ladder.Pacer {
	if e.Search != nil {
		return e.Search
	}
	defaultSearch.once.Do(func() { defaultSearch.p = ladder.NewPacer(0, 0, nil) })
	return defaultSearch.p
}

// webURL is GitHub's web host for search links.
func (e *Env) WebBase() string {
	if e.WebURL != "" {
		return e.WebURL
	}
	return "https://github.com"
}
