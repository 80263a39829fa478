package kernel

import (
	"context"
	"errors"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// closing is a close under way: why the cohort closes and the instant it
// closes as of, kept so a resumed close settles the same weeks and says the
// same thing, and the /close-cohort comment that asked for it (0: the end
// date).
type Closing struct {
	Why     string    `json:"why"`
	At      time.Time `json:"at"`
	Comment int64     `json:"comment,omitempty"`
}

// closeBegun reports whether a close of c started and has not finished.
func CloseBegun(ctx context.Context, env *Env, c store.Cohort) (bool, error) {
	closed, err := ClosedOrClosing(ctx, env.Store, c)
	return closed && c.State == store.StateActive, err
}

// closedOrClosing reports whether c is closed or its close has begun: its
// board then shows no week as "not yet" (SPEC §6).
func ClosedOrClosing(ctx context.Context, s *store.Store, c store.Cohort) (bool, error) {
	if c.State == store.StateCompleted {
		return true, nil
	}
	_, err := s.GetEffect(ctx, CloseKey(c.ID))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
