package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestTaskActivity: activity counts only for the current mentee of an open
// task, after its hand-out, and only moves forward.
func TestTaskActivity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		at := time.Date(2027, 1, 12, 10, 0, 0, 0, time.UTC)
		task := store.Task{Repo: "kubernetes/kubectl", Number: 7, InstallationID: 1, Kind: store.KindPR, Label: "good-first-review",
			CohortID: 99, Mentor: "ann", Mentee: "Mia", State: store.TaskOpen, Round: 1, Seq: 1, AssignedAt: at, CreatedAt: at,
			Stalled: []string{"noah:14:1800000000"}}
		if err := s.PutTask(ctx, task); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name  string
			who   string
			at    time.Time
			moved bool
			want  time.Time
		}{
			{"someone else", "noah", at.Add(time.Hour), false, time.Time{}},
			{"before the hand-out", "mia", at.Add(-time.Hour), false, time.Time{}},
			{"the mentee, any case", "MIA", at.Add(2 * time.Hour), true, at.Add(2 * time.Hour)},
			{"an older event", "mia", at.Add(time.Hour), false, at.Add(2 * time.Hour)},
			{"a later one", "mia", at.Add(48 * time.Hour), true, at.Add(48 * time.Hour)},
		}
		for _, st := range steps {
			moved, err := s.TaskActivity(ctx, "Kubernetes/Kubectl", 7, st.who, st.at)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Task(ctx, "kubernetes/kubectl", 7)
			if err != nil {
				t.Fatal(err)
			}
			if moved != st.moved || !got.LastActivity.Equal(st.want) {
				t.Errorf("%s: moved %v, last activity %v; want %v, %v", st.name, moved, got.LastActivity, st.moved, st.want)
			}
			if len(got.Stalled) != 1 || got.Stalled[0] != "noah:14:1800000000" {
				t.Errorf("stalled notes %q", got.Stalled)
			}
		}
		task.State = store.TaskDone
		if err := s.PutTask(ctx, task); err != nil {
			t.Fatal(err)
		}
		if moved, err := s.TaskActivity(ctx, "kubernetes/kubectl", 7, "mia", at.Add(72*time.Hour)); err != nil || moved {
			t.Errorf("activity on a done task: moved %v, %v", moved, err)
		}
	})
}
