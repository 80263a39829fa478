package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// DefaultCommandsPerMinute is the command budget of one user in one
// installation: enough for any honest use (a mentor checking in for a whole
// cohort at once), far below what would exhaust the installation's API
// quota (each command costs a few GitHub calls).
const DefaultCommandsPerMinute = 20

// floodMemory is how long the verdict on a comment is remembered, so that a
// retried job neither pays twice nor changes its mind.
const floodMemory = 10 * time.Minute

// FloodGuard is an in-process token bucket per (installation, user): each
// cohortbot command a comment carries costs one token (a comment costs at
// most Burst, so one long comment is never refused by itself), tokens come
// back at Rate. A comment that finds too few tokens is dropped whole: the
// first one is answered "slow down", later ones are dropped silently until
// a comment of that user is admitted again. Commands of other bots (Prow's
// /retest, /lgtm) cost nothing: cohortbot does nothing for them.
type FloodGuard struct {
	// Rate is tokens per second; Burst the bucket's size.
	Rate, Burst float64
	// OnDrop counts dropped commands (the metric); may be nil.
	OnDrop func(commands int)

	mu       sync.Mutex
	buckets  map[floodKey]*floodBucket
	verdicts map[int64]floodVerdict // by comment id
}

type floodKey struct {
	installation int64
	user         string
}

type floodBucket struct {
	tokens float64
	at     time.Time
	warned bool // the user has been told to slow down since their last admitted comment
}

type floodVerdict struct {
	admit, warn bool
	at          time.Time
}

// NewFloodGuard allows perMinute commands a minute per user and
// installation, in bursts of up to perMinute.
func NewFloodGuard(perMinute int, onDrop func(int)) *FloodGuard {
	return &FloodGuard{Rate: float64(perMinute) / 60, Burst: float64(perMinute), OnDrop: onDrop}
}

// decide admits or drops comment commentID costing cost tokens; warn is
// true for the one dropped comment that gets a "slow down" answer. The
// verdict on a comment is remembered, so a retry gets the same one.
func (f *FloodGuard) decide(installation int64, user string, commentID int64, cost int, now time.Time) (admit, warn bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.buckets == nil {
		f.buckets, f.verdicts = map[floodKey]*floodBucket{}, map[int64]floodVerdict{}
	}
	if v, ok := f.verdicts[commentID]; ok {
		return v.admit, v.warn
	}
	f.forget(now)
	k := floodKey{installation, strings.ToLower(user)}
	b := f.buckets[k]
	if b == nil {
		b = &floodBucket{tokens: f.Burst, at: now}
		f.buckets[k] = b
	}
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = min(f.Burst, b.tokens+dt*f.Rate)
		b.at = now
	}
	need := min(float64(cost), f.Burst)
	v := floodVerdict{at: now}
	if b.tokens >= need {
		b.tokens -= need
		b.warned = false
		v.admit = true
	} else {
		v.warn = !b.warned
		b.warned = true
		if f.OnDrop != nil {
			f.OnDrop(cost)
		}
	}
	f.verdicts[commentID] = v
	return v.admit, v.warn
}

// forget drops verdicts older than floodMemory and buckets full again, so
// memory stays bounded by recent activity.
func (f *FloodGuard) forget(now time.Time) {
	if len(f.verdicts) < 1024 {
		return
	}
	for id, v := range f.verdicts {
		if now.Sub(v.at) > floodMemory {
			delete(f.verdicts, id)
		}
	}
	for k, b := range f.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*f.Rate >= f.Burst {
			delete(f.buckets, k)
		}
	}
}

// cohortCommands counts the commands of cmds cohortbot would act on (its own
// and obvious misspellings of them, which get a reply).
func cohortCommands(cmds []cohort.Command) int {
	n := 0
	for _, c := range cmds {
		if _, ok := lookup(c.Name); ok {
			n++
		} else if _, ok := cohort.Misspelling(c.Name); ok {
			n++
		}
	}
	return n
}

// admit applies the author's command budget to a comment: false means the
// comment must be dropped (after the one "slow down" answer, if due).
func (e *Env) admit(ctx context.Context, g CommentGitHub, ev CommentEvent, cmds []cohort.Command) (bool, error) {
	cost := cohortCommands(cmds)
	if e.Flood == nil || cost == 0 {
		return true, nil
	}
	ok, warn := e.Flood.decide(ev.Installation, ev.Author, ev.CommentID, cost, e.Now())
	if ok {
		return true, nil
	}
	zerolog.Ctx(ctx).Warn().Str("user", ev.Author).Int("commands", cost).Bool("answered", warn).
		Msg("command budget exhausted; comment dropped")
	if !warn {
		return false, nil
	}
	x := &call{env: e, g: g, ev: ev, cmd: cmds[0]}
	return false, x.refuse(ctx, fmt.Sprintf("slow down: you sent more than %.0f cohortbot commands in a minute. "+
		"Nothing was done for this comment, and your next commands are ignored without an answer until a minute has passed; then post them again.",
		e.Flood.Burst))
}

// sayTruncated answers, once, a comment with more command lines than
// cohort.MaxCommands: the bot acted on the first ones only.
func (x *call) sayTruncated(ctx context.Context) error {
	zerolog.Ctx(ctx).Warn().Int("limit", cohort.MaxCommands).Msg("comment has too many command lines; the rest are ignored")
	x.idx = cohort.MaxCommands // the reply slot after the last command's
	return x.reply(ctx, fmt.Sprintf("this comment has more than %d command lines; cohortbot read only the first %d "+
		"and ignored the rest. Post the others in a new comment.", cohort.MaxCommands, cohort.MaxCommands))
}
