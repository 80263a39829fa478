package server

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
)

// busyWait is how long a worker waits in place for an issue another worker
// holds before giving its slot back with a snooze. A snoozed job is
// scheduled, and River moves scheduled jobs back to available only every
// 5 s (its fixed scheduler interval): snoozing on every brief conflict made
// a burst in one cohort crawl at a few check-ins a second (issue 7).
const busyWait = time.Second

// retryBusy runs fn again, after a short jittered pause, while it reports
// kernel.ErrBusy and busyWait has not passed. A flow returns ErrBusy when it
// cannot take its lock, before any effect, and its effects are idempotent
// anyway (a snoozed job reruns it the same way), so running it again here is
// what the snooze would do, only sooner.
func retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(busyWait)
	for {
		err := fn()
		if !errors.Is(err, kernel.ErrBusy) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(5*time.Millisecond + time.Duration(rand.IntN(20))*time.Millisecond):
		}
	}
}
