package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

func TestTasksRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		at := time.Date(2027, 1, 12, 10, 0, 0, 0, time.UTC)
		want := store.Task{
			Repo: "Kubernetes/Kubectl", Number: 7, InstallationID: 1, Kind: store.KindPR, Title: "Fix | pipes",
			URL: "https://github.com/kubernetes/kubectl/pull/7", Label: "good-first-review", CohortID: 99,
			Mentor: "Alice", Mentee: "Bob", State: store.TaskOpen, Round: 2, Seq: 1, Cause: "comment:1:0",
			Passed: []string{"carol"}, AssignedAt: at, CreatedAt: at,
		}
		if err := s.PutTask(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := s.Task(ctx, "kubernetes/kubectl", 7)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("task (-want +got):\n%s", d)
		}
		want.State, want.ClosedAt = store.TaskDone, at.Add(time.Hour)
		if err := s.PutTask(ctx, want); err != nil {
			t.Fatal(err)
		}
		pending := store.Task{Repo: "org/x", Number: 1, Kind: store.KindIssue, Label: "l", Mentor: "Alice",
			State: store.TaskPending, Candidates: []int64{5, 99}, CreatedAt: at}
		if err := s.PutTask(ctx, pending); err != nil {
			t.Fatal(err)
		}
		list, err := s.CohortTasks(ctx, 99)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].State != store.TaskDone || !list[0].ClosedAt.Equal(want.ClosedAt) {
			t.Errorf("cohort tasks %+v", list)
		}
		if p, err := s.Task(ctx, "org/x", 1); err != nil || !cmp.Equal(p.Candidates, []int64{5, 99}) || p.Live() != true {
			t.Errorf("pending task %+v, %v", p, err)
		}
		if seq, err := s.NextTaskSeq(ctx, 99); err != nil || seq != 2 {
			t.Errorf("next seq %d, %v", seq, err)
		}
		if seq, err := s.NextTaskSeq(ctx, 1234); err != nil || seq != 1 {
			t.Errorf("next seq of a cohort without tasks %d, %v", seq, err)
		}
		if _, err := s.Task(ctx, "org/x", 2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing task: %v", err)
		}
	})
}

func TestMentorCohorts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		mk := func(id, inst int64, slug string, mentors ...string) {
			sp := spec()
			sp.Slug, sp.Mentors, sp.Mentees = slug, mentors, []cohort.Mentee{{Handle: "m" + slug}}
			if _, _, err := s.CreateCohort(ctx, store.Cohort{ID: id, InstallationID: inst, Repo: "org/mentoring", Spec: sp, CreatedAt: time.Unix(1e9, 0)}); err != nil {
				t.Fatal(err)
			}
			if err := s.SetState(ctx, id, store.StateActive); err != nil {
				t.Fatal(err)
			}
		}
		mk(2, 1, "b", "Alice", "Dan")
		mk(1, 1, "a", "alice")
		mk(3, 2, "other-installation", "alice")
		mk(4, 1, "done", "alice")
		s.SetState(ctx, 4, store.StateCompleted)
		tests := []struct {
			name, handle string
			inst         int64
			want         []int64
		}{
			{name: "two active cohorts, any case", handle: "ALICE", inst: 1, want: []int64{1, 2}},
			{name: "one cohort", handle: "dan", inst: 1, want: []int64{2}},
			{name: "a mentee is no mentor", handle: "ma", inst: 1},
			{name: "nobody", handle: "zed", inst: 1},
			{name: "other installation", handle: "alice", inst: 2, want: []int64{3}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.MentorCohorts(ctx, tc.inst, tc.handle)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
			})
		}
	})
}
