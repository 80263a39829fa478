package server

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/riverqueue/river"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
)

// deliveries processes stored deliveries by calling the handler registered
// for the event. A failed attempt is retried by River with backoff; a
// payload that can never be processed is cancelled instead. The payload is
// in the delivery's row (deliveryWorker).
type deliveries struct {
	handlers map[string]handlers.Handler
	payloads payloads
	log      zerolog.Logger
	window   time.Duration // the coalescing window, which busyRetry scales with
}

// payloads are the stored deliveries' payloads (*store.Store).
type payloads interface {
	DeliveryPayload(ctx context.Context, id string) ([]byte, error)
	ClearDeliveryPayload(ctx context.Context, id string) error
}

// visibilityNoter records a delivery's repository.private for the web
// pages (*store.Store; internal/store/pages.go).
type visibilityNoter interface {
	NoteRepoVisibility(ctx context.Context, payload []byte) error
}

func newDeliveries(hs []handlers.Handler, p payloads, log zerolog.Logger) *deliveries {
	m := map[string]handlers.Handler{}
	for i := len(hs) - 1; i >= 0; i-- {
		for _, e := range hs[i].Handles() {
			m[e] = hs[i]
		}
	}
	return &deliveries{handlers: m, payloads: p, log: log, window: kernel.CoalesceWindow}
}

// deliveryWorker runs the jobs of deliveries whose payload is in their row.
type deliveryWorker struct {
	river.WorkerDefaults[queue.DeliveryArgs]
	d *deliveries
}

// Work runs one delivery from its row.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[queue.DeliveryArgs]) error {
	return w.d.run(ctx, job.Attempt, job.Args.Event, job.Args.DeliveryID)
}

// run handles one delivery, its payload read from the delivery's row. Once
// the job is done (or cancelled) the row's payload is cleared: a job run
// again after that (its process died before River recorded the completion)
// finds none and has nothing left to do.
func (d *deliveries) run(ctx context.Context, attempt int, event, id string) error {
	log := d.log.With().Str(githubapp.LogKeyEventType, event).Str(githubapp.LogKeyDeliveryID, id).
		Int("attempt", attempt).Logger()
	ctx = log.WithContext(ctx)
	h, ok := d.handlers[event]
	if !ok {
		log.Warn().Msg("no handler for stored event; dropped")
		return d.done(ctx, id)
	}
	payload, err := d.payloads.DeliveryPayload(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		log.Info().Msg("delivery already processed (payload cleared); nothing to do")
		return nil
	case err != nil:
		return err
	}
	if v, ok := d.payloads.(visibilityNoter); ok {
		if err := v.NoteRepoVisibility(ctx, payload); err != nil {
			return err
		}
	}
	err = retryBusy(ctx, func() error { return h.Handle(ctx, event, id, payload) })
	switch {
	case err == nil:
		return d.done(ctx, id)
	case errors.Is(err, kernel.ErrBusy):
		// Another worker is writing to the same issue: try again shortly,
		// without counting an attempt.
		return river.JobSnooze(busyRetry(d.window))
	case errors.Is(err, handlers.ErrBadPayload):
		log.Warn().Err(err).Msg("payload cannot be processed; cancelled")
		_ = d.done(ctx, id)
		return river.JobCancel(err)
	case limited(err):
		return snoozeLimited(log, err)
	case gh.IsRefusal(err):
		// A write outside a recorded effect refused for good: retrying
		// changes nothing (SPEC §8).
		log.Warn().Err(err).Msg("GitHub refused a request for good; delivery finished, not retried")
		return d.done(ctx, id)
	default:
		log.Error().Err(err).Msg("processing failed; will retry with backoff")
		return err
	}
}

// done clears the payload of a finished delivery. Best effort: the job's
// work is done whether or not this succeeds, and the store's sweep clears
// what is left (store.SweepPayloads).
func (d *deliveries) done(ctx context.Context, id string) error {
	if err := d.payloads.ClearDeliveryPayload(ctx, id); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("could not clear the processed payload; the sweep will")
	}
	return nil
}

// renderWorker runs coalesced re-renders of bot-owned regions.
type renderWorker struct {
	river.WorkerDefaults[kernel.RenderArgs]
	deps   *handlers.Deps
	log    zerolog.Logger
	window time.Duration // the coalescing window
}

// Work renders one target; when more changes arrived meanwhile, it runs
// again shortly instead of finishing.
func (w *renderWorker) Work(ctx context.Context, job *river.Job[kernel.RenderArgs]) error {
	// The job is inserted available (a job scheduled for later waits for
	// River's 5 s scheduler); it waits out the coalescing window here with a
	// short snooze, which River makes available again at once.
	if wait := w.window - time.Since(job.CreatedAt); wait > 0 {
		return river.JobSnooze(wait)
	}
	log := w.log.With().Int64("cohort", job.Args.CohortID).Str("target", job.Args.Target).Logger()
	ctx = log.WithContext(ctx)
	err := w.deps.Render(ctx, job.Args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, render.ErrRerender), errors.Is(err, kernel.ErrBusy):
		return river.JobSnooze(coalesce(w.window))
	case limited(err):
		return snoozeLimited(log, err)
	case gh.IsRefusal(err):
		log.Warn().Err(err).Msg("GitHub refused the render for good; not retried")
		return nil
	default:
		log.Error().Err(err).Msg("render failed; will retry with backoff")
		return err
	}
}

// coalesce is how long a render that must run again waits. Both retry
// delays scale with the coalescing window (the default 700 ms
// gives 300–500 ms here and 200–500 ms for a busy issue), so a server with
// a shorter window, as the demo has, retries sooner too.
func coalesce(window time.Duration) time.Duration {
	return jitter(window*3/7, window*2/7)
}

// busyRetry is how long a delivery whose issue another worker is writing
// waits before it tries again.
func busyRetry(window time.Duration) time.Duration {
	return jitter(window*2/7, window*3/7)
}

// jitter is base plus a random part of up to spread.
func jitter(base, spread time.Duration) time.Duration {
	return base + time.Duration(rand.Int64N(int64(spread)+1))
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
