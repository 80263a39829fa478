package kernel

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
)

// Closing is a close under way: why the cohort closes and the instant it
// closes as of, kept so a resumed close settles the same weeks and says the
// same thing, and the /close-cohort comment that asked for it (0: the end
// date).
type Closing struct {
	Why     string    `json:"why"`
	At      time.Time `json:"at"`
	Comment int64     `json:"comment,omitempty"`
}

// CloseBegun reports whether a close of c started and has not finished.
func CloseBegun(ctx context.Context, env *Env, c store.Cohort) (bool, error) {
	closed, err := ClosedOrClosing(ctx, env.Store, c)
	return closed && c.State == store.StateActive, err
}

// ClosedOrClosing reports whether c is closed or its close has begun: its
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

// cohortsOwnIssue reports whether repo#number is a cohort's hub or mentee
// issue, which is never a request, even when a person took its label off
// and its body holds the form's headings.
func cohortsOwnIssue(ctx context.Context, env *Env, repo string, number int) (bool, error) {
	_, _, _, err := env.Store.CohortByIssue(ctx, repo, number)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err == nil {
		zerolog.Ctx(ctx).Debug().Msg("skip: a cohort's own hub or mentee issue is never a request")
	}
	return err == nil, err
}

// TaskCohort finds the cohort of a task issue or PR from the bot's own
// records (tasks live in any repository of the installation): its cohort,
// or while the mentor has not said which, the first cohort asked about.
func TaskCohort(ctx context.Context, s *store.Store, repo string, number int) (store.Cohort, error) {
	t, err := s.Task(ctx, repo, number)
	if err != nil {
		return store.Cohort{}, err
	}
	return s.Cohort(ctx, TaskLockID(t))
}

// TaskLockID is the cohort whose lease guards a task: its cohort, or the
// first candidate while the mentor has not said which.
func TaskLockID(t store.Task) int64 {
	if t.CohortID == 0 && len(t.Candidates) > 0 {
		return t.Candidates[0]
	}
	return t.CohortID
}
