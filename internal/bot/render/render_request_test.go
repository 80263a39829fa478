package render

import (
	"context"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/google/go-cmp/cmp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// dupJobs answers every insert of a plain render as a duplicate of a job in
// the given state, as River does for a unique job, and records the inserts.
type dupJobs struct {
	state    rivertype.JobState
	inserted []kernel.RenderArgs
}

func (j *dupJobs) Insert(_ context.Context, args river.JobArgs, _ *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	a := args.(kernel.RenderArgs)
	j.inserted = append(j.inserted, a)
	if a.Again {
		return &rivertype.JobInsertResult{Job: &rivertype.JobRow{State: rivertype.JobStateAvailable}}, nil
	}
	return &rivertype.JobInsertResult{UniqueSkippedAsDuplicate: true, Job: &rivertype.JobRow{State: j.state}}, nil
}

// TestRenderAskedWhileOneRuns: a render asked for while the target's render
// job runs (River counts it as a duplicate) queues one follow-up render, so
// a change made after the running render's last look is still shown (ten
// check-ins at once on a busy machine lost two from the hub's board); a
// duplicate of a job that has not started needs none.
func TestRenderAskedWhileOneRuns(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tc := range []struct {
		state rivertype.JobState
		want  []kernel.RenderArgs
	}{
		{rivertype.JobStateRunning, []kernel.RenderArgs{{CohortID: 7, Target: kernel.TargetHub}, {CohortID: 7, Target: kernel.TargetHub, Again: true}}},
		{rivertype.JobStateAvailable, []kernel.RenderArgs{{CohortID: 7, Target: kernel.TargetHub}}},
		{rivertype.JobStateScheduled, []kernel.RenderArgs{{CohortID: 7, Target: kernel.TargetHub}}},
	} {
		jobs := &dupJobs{state: tc.state}
		env := &kernel.Env{Store: st, Jobs: jobs}
		if err := env.RequestRenders(ctx, 7, kernel.TargetHub); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tc.want, jobs.inserted); d != "" {
			t.Errorf("duplicate of a %s render (-want +got):\n%s", tc.state, d)
		}
	}
}
