package kernel

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/store"
)

// taskCohort finds the cohort of a task issue or PR from the bot's own
// records (tasks live in any repository of the installation): its cohort,
// or while the mentor has not said which, the first cohort asked about.
func TaskCohort(ctx context.Context, s *store.Store, repo string, number int) (store.Cohort, error) {
	t, err := s.Task(ctx, repo, number)
	if err != nil {
		return store.Cohort{}, err
	}
	return s.Cohort(ctx, TaskLockID(t))
}
