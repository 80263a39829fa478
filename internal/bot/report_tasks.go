package bot

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/store"
)

// taskCounts returns each mentee's done and open tasks (lower-cased handle),
// for the midpoint and final reports.
var taskCounts = func(ctx context.Context, s *store.Store, c store.Cohort) (map[string]TaskCount, error) {
	return map[string]TaskCount{}, nil
}

// releaseCohortTasks releases a closing cohort's open tasks and returns them
// as owner/repo#N.
var releaseCohortTasks = func(ctx context.Context, env *Env, g TickGitHub, c store.Cohort) ([]string, error) {
	return nil, nil
}
