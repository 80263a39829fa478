package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestSaveRoster changes a roster the way the roster commands do and reads
// spec and members back, on both databases.
func TestSaveRoster(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, _, err := s.CreateCohort(ctx, store.Cohort{ID: 7, Repo: "org/m", Spec: spec(), CreatedAt: time.Unix(1e9, 0)}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMenteeIssue(ctx, 7, "carol", 5); err != nil {
			t.Fatal(err)
		}
		sp := spec()
		sp.Mentees = []cohort.Mentee{{Handle: "Bob", Mentor: "Alice"}, {Handle: "dave", Mentor: "Alice"}}
		err := s.SaveRoster(ctx, 7, sp,
			store.Member{Handle: "carol", Role: store.RoleMentee, Status: store.StatusWithdrawn, Outcome: store.OutcomeWithdrawn, LeftWeek: 3},
			store.Member{Handle: "dave", Role: store.RoleMentee, Mentor: "Alice", JoinedWeek: 3},
			store.Member{Handle: "Bob", Role: store.RoleMentee, Mentor: "Alice", Outcome: store.OutcomeGraduated, OutcomeLink: "org/r#1"},
		)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := s.Members(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Member{
			{Handle: "Bob", Role: "mentee", Mentor: "Alice", Status: "active", Outcome: "graduated", OutcomeLink: "org/r#1", JoinedWeek: 1},
			{Handle: "carol", Role: "mentee", Issue: 5, Status: "withdrawn", Outcome: "withdrawn", JoinedWeek: 1, LeftWeek: 3},
			{Handle: "dave", Role: "mentee", Mentor: "Alice", Status: "active", JoinedWeek: 3},
			{Handle: "Alice", Role: "mentor", Status: "active", JoinedWeek: 1},
		}
		if d := cmp.Diff(want, ms); d != "" {
			t.Errorf("members (-want +got):\n%s", d)
		}
		c, err := s.Cohort(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]cohort.Mentee{{Handle: "Bob", Mentor: "Alice"}, {Handle: "dave", Mentor: "Alice"}}, c.Spec.Mentees); d != "" {
			t.Errorf("spec mentees (-want +got):\n%s", d)
		}
		busy, _ := s.BusyMentees(ctx, "org/m", 0)
		if d := cmp.Diff(map[string]string{"bob": "sig-apps-2027", "dave": "sig-apps-2027"}, busy); d != "" {
			t.Errorf("busy (-want +got):\n%s", d)
		}

		s.SetSchedule(ctx, 7, 2, time.Unix(2e9, 0))
		sp.End = cohort.Date{Year: 2027, Month: 3, Day: 14}
		if err := s.ExtendCohort(ctx, 7, sp); err != nil {
			t.Fatal(err)
		}
		c, _ = s.Cohort(ctx, 7)
		if c.Spec.End != sp.End || c.NextDue.Unix() != 0 || c.BoundaryDone != 2 {
			t.Errorf("after extend: end %s, next due %v, boundary done %d", c.Spec.End, c.NextDue, c.BoundaryDone)
		}
		if err := s.SaveRoster(ctx, 8, sp); err != store.ErrNotFound {
			t.Errorf("saving a missing cohort: %v", err)
		}
	})
}

func TestOnRoster(t *testing.T) {
	tests := []struct {
		name string
		m    store.Member
		want []bool // weeks 1..5
	}{
		{name: "active", m: store.Member{Status: store.StatusActive, JoinedWeek: 1}, want: []bool{true, true, true, true, true}},
		{name: "joined in week 3", m: store.Member{Status: store.StatusActive, JoinedWeek: 3}, want: []bool{false, false, true, true, true}},
		{name: "withdrew in week 3", m: store.Member{Status: store.StatusWithdrawn, JoinedWeek: 1, LeftWeek: 3}, want: []bool{true, true, false, false, false}},
		{name: "joined 2, left 4", m: store.Member{Status: store.StatusRemoved, JoinedWeek: 2, LeftWeek: 4}, want: []bool{false, true, true, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []bool
			for w := 1; w <= 5; w++ {
				got = append(got, tc.m.OnRoster(w))
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
