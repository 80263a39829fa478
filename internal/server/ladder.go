package server

import (
	"context"
	"errors"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/progress"

	"github.com/riverqueue/river"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/gh"
)

// ladderSnoozeMax bounds how long the ladder job sleeps while the search
// limit lasts: it then looks again (the pacer answers from memory, no
// request), so that a clock that moved — `tick --at`, a test's clock —
// or a restart never leaves a sweep waiting longer than this.
const ladderSnoozeMax = 5 * time.Second

// ladderWorker runs an installation's pending ladder measurements (SPEC
// §10), one search at a time within the search API's limit.
type ladderWorker struct {
	river.WorkerDefaults[progress.LadderArgs]
	deps *handlers.Deps
	log  zerolog.Logger
}

// Work measures until nothing is pending, or snoozes while the search
// limit lasts (the pending rows stay in the database).
func (w *ladderWorker) Work(ctx context.Context, job *river.Job[progress.LadderArgs]) error {
	log := w.log.With().Int64("installation", job.Args.Installation).Logger()
	ctx = log.WithContext(ctx)
	err := w.deps.MeasureLadder(ctx, job.Args.Installation)
	var rl *gh.RateLimited
	switch {
	case err == nil:
		return nil
	case errors.As(err, &rl) && rl.Reason == gh.ReasonSearch:
		d := min(max(rl.Until.Sub(w.deps.Env.Now()), 100*time.Millisecond), ladderSnoozeMax)
		log.Debug().Dur("snooze", d).Msg("search limit; ladder measurements wait")
		return river.JobSnooze(d)
	case errors.Is(err, kernel.ErrBusy):
		return river.JobSnooze(busyRetry(kernel.CoalesceWindow))
	case limited(err):
		return snoozeLimited(log, err)
	default:
		log.Error().Err(err).Msg("ladder measurements failed; will retry with backoff")
		return err
	}
}
