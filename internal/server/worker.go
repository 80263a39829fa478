package server

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/riverqueue/river"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/bot"
	"github.com/cohortbot/cohortbot/internal/queue"
)

// eventWorker processes stored deliveries by calling the handler registered
// for the event. A failed attempt is retried by River with backoff; a
// payload that can never be processed is cancelled instead.
type eventWorker struct {
	river.WorkerDefaults[queue.EventArgs]
	handlers map[string]handlers.Handler
	log      zerolog.Logger
}

func newEventWorker(hs []handlers.Handler, log zerolog.Logger) *eventWorker {
	m := map[string]handlers.Handler{}
	for i := len(hs) - 1; i >= 0; i-- {
		for _, e := range hs[i].Handles() {
			m[e] = hs[i]
		}
	}
	return &eventWorker{handlers: m, log: log}
}

// Work runs one delivery.
func (w *eventWorker) Work(ctx context.Context, job *river.Job[queue.EventArgs]) error {
	a := job.Args
	log := w.log.With().Str(githubapp.LogKeyEventType, a.Event).Str(githubapp.LogKeyDeliveryID, a.DeliveryID).
		Int("attempt", job.Attempt).Logger()
	ctx = log.WithContext(ctx)
	h, ok := w.handlers[a.Event]
	if !ok {
		log.Warn().Msg("no handler for stored event; dropped")
		return nil
	}
	err := retryBusy(ctx, func() error { return h.Handle(ctx, a.Event, a.DeliveryID, a.Payload) })
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bot.ErrBusy):
		// Another worker is writing to the same issue: try again shortly,
		// without counting an attempt.
		return river.JobSnooze(200*time.Millisecond + time.Duration(rand.IntN(300))*time.Millisecond)
	case errors.Is(err, handlers.ErrBadPayload):
		log.Warn().Err(err).Msg("payload cannot be processed; cancelled")
		return river.JobCancel(err)
	case limited(err):
		return snoozeLimited(log, err)
	default:
		log.Error().Err(err).Msg("processing failed; will retry with backoff")
		return err
	}
}

// renderWorker runs coalesced re-renders of bot-owned regions.
type renderWorker struct {
	river.WorkerDefaults[bot.RenderArgs]
	deps *handlers.Deps
	log  zerolog.Logger
}

// Work renders one target; when more changes arrived meanwhile, it runs
// again shortly instead of finishing.
func (w *renderWorker) Work(ctx context.Context, job *river.Job[bot.RenderArgs]) error {
	// The job is inserted available (a job scheduled for later waits for
	// River's 5 s scheduler); it waits out the coalescing window here with a
	// short snooze, which River makes available again at once.
	if wait := bot.CoalesceWindow - time.Since(job.CreatedAt); wait > 0 {
		return river.JobSnooze(wait)
	}
	log := w.log.With().Int64("cohort", job.Args.CohortID).Str("target", job.Args.Target).Logger()
	ctx = log.WithContext(ctx)
	err := w.deps.Render(ctx, job.Args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bot.ErrRerender), errors.Is(err, bot.ErrBusy):
		return river.JobSnooze(coalesce())
	case limited(err):
		return snoozeLimited(log, err)
	default:
		log.Error().Err(err).Msg("render failed; will retry with backoff")
		return err
	}
}

func coalesce() time.Duration {
	return 300*time.Millisecond + time.Duration(rand.IntN(200))*time.Millisecond
}

// TickArgs is the periodic scheduler job (run by the elected leader only).
type TickArgs struct{}

// Kind names the job kind.
func (TickArgs) Kind() string { return "tick" }

// tickWorker runs the scheduler's work as of the flows' clock.
type tickWorker struct {
	river.WorkerDefaults[TickArgs]
	deps *handlers.Deps
	log  zerolog.Logger
}

// Work runs one tick; failures are logged per cohort and retried next tick.
func (w *tickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	ctx = w.log.WithContext(ctx)
	rep, err := w.deps.Tick(ctx, w.deps.Env.Now())
	if rep.Due > 0 {
		w.log.Info().Int("due", rep.Due).Int("done", rep.Done).Int("busy", rep.Busy).Msg("tick")
	}
	if err != nil {
		w.log.Warn().Err(err).Msg("tick finished with errors; they are retried next tick")
	}
	return nil
}
