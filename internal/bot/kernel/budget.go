package kernel

import (
	"context"
	"time"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/rs/zerolog"
)

// Budget tells when an installation's GitHub budget runs low (gh.Pacer
// implements it from the rate-limit headers it sees).
type Budget interface {
	// Low reports whether non-urgent work should wait, and until when.
	Low(installation int64) (until time.Time, low bool)
}

// yield returns a *gh.RateLimited when non-urgent work for installation —
// re-renders, reminders, the midpoint comment — should leave the remaining
// budget to urgent effects (the 👍, labels, replies: SPEC §8). Job workers
// snooze on it until the budget is back.
func (e *Env) Yield(ctx context.Context, installation int64, what string) *gh.RateLimited {
	if e.Budget == nil {
		return nil
	}
	until, low := e.Budget.Low(installation)
	if !low {
		return nil
	}
	zerolog.Ctx(ctx).Info().Int64("installation", installation).Time("until", until).Str("work", what).
		Msg("GitHub budget low; non-urgent work deferred")
	return &gh.RateLimited{Installation: installation, Until: until, Reason: gh.ReasonLowQuota}
}
