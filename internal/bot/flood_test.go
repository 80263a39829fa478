package bot

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

func TestFloodGuard(t *testing.T) {
	t0 := time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)
	type step struct {
		inst    int64
		user    string
		comment int64
		cost    int
		at      time.Duration
	}
	type verdict struct{ Admit, Warn bool }
	tests := []struct {
		name    string
		steps   []step
		want    []verdict
		dropped int
	}{
		{name: "within the budget",
			steps: []step{{1, "mia", 1, 10, 0}, {1, "mia", 2, 10, 0}},
			want:  []verdict{{true, false}, {true, false}}},
		{name: "excess answered once, then dropped silently",
			steps: []step{{1, "mia", 1, 20, 0}, {1, "mia", 2, 1, 0}, {1, "mia", 3, 1, time.Second}, {1, "mia", 4, 2, 2 * time.Second}},
			want:  []verdict{{true, false}, {false, true}, {false, false}, {false, false}}, dropped: 4},
		{name: "tokens come back with time",
			steps: []step{{1, "mia", 1, 20, 0}, {1, "mia", 2, 1, 0}, {1, "mia", 3, 1, 3 * time.Second}, {1, "mia", 4, 1, 3 * time.Second}, {1, "mia", 5, 1, 3 * time.Second}},
			want:  []verdict{{true, false}, {false, true}, {true, false}, {false, true}, {false, false}}, dropped: 3},
		{name: "one long comment costs at most the burst",
			steps: []step{{1, "mia", 1, cohort.MaxCommands, 0}, {1, "mia", 2, 1, 0}},
			want:  []verdict{{true, false}, {false, true}}, dropped: 1},
		{name: "users and installations have budgets of their own",
			steps: []step{{1, "mia", 1, 20, 0}, {1, "MIA", 2, 1, 0}, {1, "noah", 3, 20, 0}, {2, "mia", 4, 20, 0}},
			want:  []verdict{{true, false}, {false, true}, {true, false}, {true, false}}, dropped: 1},
		{name: "a retried comment keeps its verdict and pays once",
			steps: []step{{1, "mia", 1, 15, 0}, {1, "mia", 1, 15, 0}, {1, "mia", 2, 5, 0}, {1, "mia", 3, 1, 0}, {1, "mia", 3, 1, 0}},
			want:  []verdict{{true, false}, {true, false}, {true, false}, {false, true}, {false, true}}, dropped: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dropped := 0
			f := NewFloodGuard(DefaultCommandsPerMinute, func(n int) { dropped += n })
			var got []verdict
			for _, s := range tc.steps {
				a, w := f.decide(s.inst, s.user, s.comment, s.cost, t0.Add(s.at))
				got = append(got, verdict{a, w})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
			if dropped != tc.dropped {
				t.Errorf("%d commands counted as dropped, want %d", dropped, tc.dropped)
			}
		})
	}
}

func TestCohortCommandsCountOnlyOurs(t *testing.T) {
	cmds := cohort.ParseCommands("/retest\n/lgtm\n/checkin\n/check-in\n/assign @a\n/away")
	if got := cohortCommands(cmds); got != 3 {
		t.Errorf("cohortCommands = %d, want 3 (checkin, the check-in misspelling, away)", got)
	}
}
