package progress

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// countingSearch answers every search with 0 and records when it came, on
// the test's clock, as GitHub would count it.
type countingSearch struct {
	LadderGitHub
	now  func() time.Time
	at   []time.Time
	seen map[string]int
}

func (c *countingSearch) CountIssues(_ context.Context, q string) (ladder.Count, ladder.Quota, error) {
	c.at = append(c.at, c.now())
	c.seen[q]++
	return ladder.Count{}, ladder.Quota{}, nil
}

// TestWeeklySweepFigure is the benchmark figure of SPEC §10's measurement:
// one weekly sweep over 30 cohorts × 10 mentees, run by the real ladder
// loop (database rows, the search pacer) on a clock that jumps to each
// instant the pacer names. It reports the searches and how long the sweep
// takes within 30 a minute, and fails if any minute holds more than 30 or
// any measurement is made twice.
func TestWeeklySweepFigure(t *testing.T) {
	for _, tc := range []struct {
		name     string
		reqs     map[string]int
		searches int
		takes    time.Duration
	}{
		{"Reviewer default (reviewed_prs)", map[string]int{config.ReviewedPRs: 20}, 300, 9 * time.Minute},
		{"both requirements", map[string]int{config.ReviewedPRs: 20, config.MergedPRs: 1}, 600, 19 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, took := runSweep(t, tc.reqs)
			if got != tc.searches || took != tc.takes {
				t.Errorf("%d searches in %s, want %d in %s", got, took, tc.searches, tc.takes)
			}
			t.Logf("one weekly sweep of 30 cohorts × 10 mentees (%s): %d searches, the last %s after the first (30/min)", tc.name, got, took)
		})
	}
}

func runSweep(t *testing.T, reqs map[string]int) (int, time.Duration) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2027, 1, 18, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	env := &kernel.Env{Store: st, Now: clock, Search: ladder.NewPacer(0, 0, clock)}
	cfg := config.DefaultRepo()
	tr := cfg.Tracks["reviewer"]
	tr.Requirements = reqs
	cfg.Tracks["reviewer"] = tr
	const inst = 77
	for i := range 30 {
		spec := cohort.Spec{Name: fmt.Sprint("c", i), Slug: fmt.Sprint("c", i), Step: "Reviewer", Mentors: []string{"m1", "m2", "m3", "m4"},
			Start: cohort.Date{Year: 2027, Month: 1, Day: 11}, End: cohort.Date{Year: 2027, Month: 3, Day: 21}}
		for j := range 10 {
			spec.Mentees = append(spec.Mentees, cohort.Mentee{Handle: fmt.Sprintf("mentee-%d-%d", i, j)})
		}
		c, _, err := st.CreateCohort(ctx, store.Cohort{ID: int64(1000 + i), InstallationID: inst, Repo: "k8s/mentoring", Spec: spec, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := QueueLadder(ctx, env, cfg, c); err != nil {
			t.Fatal(err)
		}
	}
	g := &countingSearch{now: clock, seen: map[string]int{}}
	for {
		err := MeasureLadder(ctx, env, g, inst)
		var rl *gh.RateLimited
		if err == nil {
			break
		}
		if !errors.As(err, &rl) || rl.Reason != gh.ReasonSearch || !rl.Until.After(now) {
			t.Fatalf("sweep: %v", err)
		}
		now = rl.Until // the job snoozes until then
	}
	for i := ladder.SearchLimit; i < len(g.at); i++ {
		if d := g.at[i].Sub(g.at[i-ladder.SearchLimit]); d < time.Minute {
			t.Fatalf("searches %d and %d within %s", i-ladder.SearchLimit, i, d)
		}
	}
	for q, n := range g.seen {
		if n != 1 || !strings.HasPrefix(q, "is:pr ") {
			t.Errorf("%q searched %d times", q, n)
		}
	}
	return len(g.at), g.at[len(g.at)-1].Sub(g.at[0])
}
