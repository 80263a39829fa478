package bottest

import (
	"context"
	"sync"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Jobs is the queue of a flow test: it records what a flow asks to be
// queued, and nothing runs until the test says so (World.Settle).
type Jobs struct {
	mu   sync.Mutex
	jobs []river.JobArgs
}

// Insert records args.
func (j *Jobs) Insert(_ context.Context, args river.JobArgs, _ *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.jobs = append(j.jobs, args)
	return &rivertype.JobInsertResult{Job: &rivertype.JobRow{Kind: args.Kind()}}, nil
}

// Kinds lists the kinds of the jobs queued so far, in order.
func (j *Jobs) Kinds() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]string, 0, len(j.jobs))
	for _, a := range j.jobs {
		out = append(out, a.Kind())
	}
	return out
}

// takeRenders removes the queued renders and returns them, one per target
// (River keeps one pending render per target: renderUnique).
func (j *Jobs) takeRenders() []kernel.RenderArgs {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []kernel.RenderArgs
	seen := map[kernel.RenderArgs]bool{}
	rest := j.jobs[:0]
	for _, a := range j.jobs {
		r, ok := a.(kernel.RenderArgs)
		if !ok {
			rest = append(rest, a)
			continue
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	j.jobs = rest
	return out
}
