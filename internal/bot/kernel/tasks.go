package kernel

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
)

// TaskWriter hands a mentoring task to a mentee and takes it back.
type TaskWriter interface {
	TaskPeople(ctx context.Context, repo string, number int, pr bool) (gh.TaskPeople, error)
	RequestReview(ctx context.Context, repo string, number int, user string) error
	RemoveReviewRequest(ctx context.Context, repo string, number int, user string) error
	AddAssignee(ctx context.Context, repo string, number int, user string) (bool, error)
	RemoveAssignee(ctx context.Context, repo string, number int, user string) error
}

// TaskGitHub is every GitHub operation the task flows use.
type TaskGitHub interface {
	Commenter
	Labeler
	TaskWriter
}

// taskLockID is the cohort whose lease guards a task: its cohort, or the
// first candidate while the mentor has not said which.
func TaskLockID(t store.Task) int64 {
	if t.CohortID == 0 && len(t.Candidates) > 0 {
		return t.Candidates[0]
	}
	return t.CohortID
}
