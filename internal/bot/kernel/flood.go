package kernel

import (
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"golang.org/x/time/rate"
)

// DefaultCommandsPerMinute is the command budget of a roster member in one
// installation: enough for any honest use (a mentor checking in for a whole
// cohort at once), far below what would exhaust the installation's API
// quota (each command costs a few GitHub calls).
const DefaultCommandsPerMinute = 30

// DefaultStrangerCommandsPerMinute is the budget of anyone else (an
// organizer who is on no roster, a passer-by): two full comments
// (cohort.MaxCommands each) a minute.
const DefaultStrangerCommandsPerMinute = 2 * cohort.MaxCommands

// floodMemory is how long the verdict on an event is remembered, so that a
// retried job neither pays twice nor changes its mind.
const floodMemory = 10 * time.Minute

// floodPrune is the number of remembered verdicts or users above which the
// old ones are forgotten, bounding memory by recent activity.
const floodPrune = 1024

// FloodGuard is the per-user command budget (SPEC §5 "Abuse limits"): a
// token bucket (golang.org/x/time/rate) per installation and user, larger
// for the cohort's roster members than for strangers. Every command acted
// on costs one token, and so does every edit that re-reads a /checkin;
// commands of other bots cost nothing. An event that finds too few tokens
// is dropped whole: the first one is answered "slow down", later ones are
// dropped silently until one of that user's events is admitted again.
type FloodGuard struct {
	// Member and Stranger are the budgets, in commands a minute; a bucket
	// holds a minute's worth, and at least one full comment.
	Member, Stranger int
	// OnDrop counts dropped commands (the metric); may be nil.
	OnDrop func(commands int)

	mu       sync.Mutex
	users    map[floodKey]*floodUser
	verdicts map[string]floodVerdict // by event (floodEvent)
}

type floodKey struct {
	installation int64
	user         string
	member       bool
}

type floodUser struct {
	lim    *rate.Limiter
	warned bool // the user has been told to slow down since their last admitted event
}

type floodVerdict struct {
	admit, warn bool
	at          time.Time
}

// NewFloodGuard allows members perMinute commands a minute and strangers
// DefaultStrangerCommandsPerMinute (never more than members).
func NewFloodGuard(perMinute int, onDrop func(int)) *FloodGuard {
	return &FloodGuard{Member: perMinute, Stranger: min(perMinute, DefaultStrangerCommandsPerMinute), OnDrop: onDrop}
}

// budget is the rate and burst of one class of user.
func (f *FloodGuard) Budget(member bool) (rate.Limit, int) {
	n := f.Stranger
	if member {
		n = f.Member
	}
	n = max(n, 1)
	return rate.Limit(float64(n) / 60), max(n, cohort.MaxCommands)
}

// decide admits or drops event (floodEvent) of user costing cost tokens;
// warn is true for the one dropped event that gets a "slow down" answer.
// The verdict on an event is remembered, so a retry gets the same one.
func (f *FloodGuard) Decide(installation int64, user string, member bool, event string, cost int, now time.Time) (admit, warn bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.users == nil {
		f.users, f.verdicts = map[floodKey]*floodUser{}, map[string]floodVerdict{}
	}
	if v, ok := f.verdicts[event]; ok {
		return v.admit, v.warn
	}
	f.forget(now)
	k := floodKey{installation, strings.ToLower(user), member}
	u := f.users[k]
	if u == nil {
		u = &floodUser{lim: rate.NewLimiter(f.Budget(member))}
		f.users[k] = u
	}
	v := floodVerdict{at: now}
	if u.lim.AllowN(now, min(cost, u.lim.Burst())) {
		u.warned = false
		v.admit = true
	} else {
		v.warn = !u.warned
		u.warned = true
		if f.OnDrop != nil {
			f.OnDrop(cost)
		}
	}
	f.verdicts[event] = v
	return v.admit, v.warn
}

// forget drops verdicts older than floodMemory and users whose bucket is
// full again, once there are many of either.
func (f *FloodGuard) forget(now time.Time) {
	if len(f.verdicts) >= floodPrune {
		for id, v := range f.verdicts {
			if now.Sub(v.at) > floodMemory {
				delete(f.verdicts, id)
			}
		}
	}
	if len(f.users) >= floodPrune {
		for k, u := range f.users {
			if u.lim.TokensAt(now) >= float64(u.lim.Burst()) {
				delete(f.users, k)
			}
		}
	}
}
