package kernel

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Render targets: the hub's check-in board, or a mentee issue's log.
const TargetHub = "hub"

// TargetMentee names the log of mentee handle.
func TargetMentee(handle string) string { return "mentee:" + strings.ToLower(handle) }

// RenderArgs is the job that re-renders one bot-owned region.
type RenderArgs struct {
	CohortID int64  `json:"cohort_id"`
	Target   string `json:"target"`
	// Again marks the follow-up render asked for while one was running
	// (see RequestRenders); it renders the same way.
	Again bool `json:"again,omitempty"`
}

// Kind names the job kind.
func (RenderArgs) Kind() string { return "render" }

// CoalesceWindow is how long a render waits for more changes to gather, so a
// burst of check-ins re-renders the hub once or twice, not once each.
const CoalesceWindow = 700 * time.Millisecond

// Jobs inserts jobs (the queue).
type Jobs interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// renderUnique: one pending render per target. A render asked for while
// one runs is usually caught by the generation check at the end of the
// running one — but not when it is asked for between that check and River
// marking the job completed (River counts a running job as a duplicate):
// RequestRenders then queues one follow-up render (Again, unique too).
var renderUnique = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}}

// RequestRenders asks for the targets to be re-rendered soon. The job is
// scheduled on the wall clock: coalescing is infrastructure, not domain time.
func (e *Env) RequestRenders(ctx context.Context, cohortID int64, targets ...string) error {
	for _, t := range targets {
		if err := e.Store.WantRender(ctx, RenderKey(cohortID, t)); err != nil {
			return err
		}
		res, err := e.Jobs.Insert(ctx, RenderArgs{CohortID: cohortID, Target: t}, &river.InsertOpts{
			UniqueOpts: renderUnique, Priority: 3,
		})
		if err != nil {
			return fmt.Errorf("queue render: %w", err)
		}
		if res != nil && res.UniqueSkippedAsDuplicate && res.Job != nil && res.Job.State == rivertype.JobStateRunning {
			_, err = e.Jobs.Insert(ctx, RenderArgs{CohortID: cohortID, Target: t, Again: true}, &river.InsertOpts{
				UniqueOpts: renderUnique, Priority: 3,
			})
			if err != nil {
				return fmt.Errorf("queue render: %w", err)
			}
		}
	}
	return nil
}
