package bot

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/store"
)

// Task commands (SPEC §4): not built yet.
var (
	runReassign   = runNotYet
	runPass       = runNotYet
	runTaskCohort = runNotYet
)

// tasksContent renders the task board of the hub (handle "") or of one
// mentee's issue; ok false leaves the region as it is.
func tasksContent(ctx context.Context, s *store.Store, c store.Cohort, handle string) (string, bool, error) {
	return "", false, nil
}
