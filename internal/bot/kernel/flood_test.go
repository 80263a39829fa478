package kernel

import (
	"fmt"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/google/go-cmp/cmp"
)

func TestFloodGuard(t *testing.T) {
	t0 := time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)
	type step struct {
		inst   int64
		user   string
		member bool
		event  string
		cost   int
		at     time.Duration
	}
	type verdict struct{ Admit, Warn bool }
	tests := []struct {
		name    string
		steps   []step
		want    []verdict
		dropped int
	}{
		{name: "within the budget",
			steps: []step{{1, "mia", true, "1", 10, 0}, {1, "mia", true, "2", 10, 0}},
			want:  []verdict{{true, false}, {true, false}}},
		{name: "excess answered once, then dropped silently",
			steps: []step{{1, "mia", true, "1", 20, 0}, {1, "mia", true, "2", 1, 0}, {1, "mia", true, "3", 1, time.Second}, {1, "mia", true, "4", 2, 2 * time.Second}},
			want:  []verdict{{true, false}, {false, true}, {false, false}, {false, false}}, dropped: 4},
		{name: "tokens come back with time",
			steps: []step{{1, "mia", true, "1", 20, 0}, {1, "mia", true, "2", 1, 0}, {1, "mia", true, "3", 1, 3 * time.Second}, {1, "mia", true, "4", 1, 3 * time.Second}, {1, "mia", true, "5", 1, 3 * time.Second}},
			want:  []verdict{{true, false}, {false, true}, {true, false}, {false, true}, {false, false}}, dropped: 3},
		{name: "one long comment costs at most the burst",
			steps: []step{{1, "mia", true, "1", cohort.MaxCommandLines, 0}, {1, "mia", true, "2", 1, 0}},
			want:  []verdict{{true, false}, {false, true}}, dropped: 1},
		{name: "users and installations have budgets of their own",
			steps: []step{{1, "mia", true, "1", 20, 0}, {1, "MIA", true, "2", 1, 0}, {1, "noah", true, "3", 20, 0}, {2, "mia", true, "4", 20, 0}},
			want:  []verdict{{true, false}, {false, true}, {true, false}, {true, false}}, dropped: 1},
		{name: "a retried event keeps its verdict and pays once",
			steps: []step{{1, "mia", true, "1", 15, 0}, {1, "mia", true, "1", 15, 0}, {1, "mia", true, "2", 5, 0}, {1, "mia", true, "3", 1, 0}, {1, "mia", true, "3", 1, 0}},
			want:  []verdict{{true, false}, {true, false}, {true, false}, {false, true}, {false, true}}, dropped: 1},
		{name: "a stranger gets one full comment a minute",
			steps: []step{{1, "eve", false, "1", 10, 0}, {1, "eve", false, "2", 1, 0}, {1, "eve", false, "3", 1, 6 * time.Second}},
			want:  []verdict{{true, false}, {false, true}, {true, false}}, dropped: 1},
		{name: "each edit is an event of its own and pays",
			steps: []step{{1, "mia", true, "c1:created", 10, 0}, {1, "mia", true, "c1:edited:1", 5, 0}, {1, "mia", true, "c1:edited:2", 5, 0}, {1, "mia", true, "c1:edited:3", 5, 0}},
			want:  []verdict{{true, false}, {true, false}, {true, false}, {false, true}}, dropped: 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dropped := 0
			f := &FloodGuard{Member: 20, Stranger: 10, OnDrop: func(n int) { dropped += n }}
			var got []verdict
			for _, s := range tc.steps {
				a, w := f.Decide(s.inst, s.user, s.member, s.event, s.cost, t0.Add(s.at))
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

// TestFloodGuardMemoryIsBounded: users whose bucket filled up again and old
// verdicts are forgotten, so a stream of new users cannot grow the guard.
func TestFloodGuardMemoryIsBounded(t *testing.T) {
	t0 := time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)
	f := NewFloodGuard(DefaultCommandsPerMinute, nil)
	for i := 0; i < 10*floodPrune; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		f.Decide(1, fmt.Sprintf("user%d", i), false, fmt.Sprint(i), 1, at)
	}
	if len(f.users) > 2*floodPrune || len(f.verdicts) > 2*floodPrune {
		t.Errorf("%d users and %d verdicts remembered after %d events", len(f.users), len(f.verdicts), 10*floodPrune)
	}
}
