package web_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestProgramAttendanceMatchesCohorts: the overview's bulk read of a large
// program (check-ins as week masks, weeks past 62 read one by one) gives each
// cohort the attendance its own page reads, on both databases.
func TestProgramAttendanceMatchesCohorts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		cs := program()
		long := cs[0]
		long.id, long.spec.Slug = 301, "long-cohort"
		long.spec.End.Year = 2029 // 105 weeks
		long.boundaryDone = 70
		long.checkins = map[string][]int{"bob": {1, 62, 63, 70}, "carol": {2, 64}}
		seed(t, st, append(cs, long))
		ctx := context.Background()
		all, err := st.ProgramAttendance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range append(cs, long) {
			one, err := st.CohortAttendance(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			var mentees []store.Member
			for _, m := range one.Members {
				if m.Role == store.RoleMentee && m.Status != store.StatusRemoved {
					mentees = append(mentees, store.Member{Handle: m.Handle, Role: m.Role, Status: m.Status,
						Outcome: m.Outcome, JoinedWeek: m.JoinedWeek, LeftWeek: m.LeftWeek})
				}
			}
			want := &store.Attendance{Members: mentees, Checked: one.Checked, Aways: one.Aways, Skipped: one.Skipped}
			if d := cmp.Diff(want, all[c.id], cmpEmpty); d != "" {
				t.Errorf("cohort %d (-own page +overview):\n%s", c.id, d)
			}
		}
	})
}

// cmpEmpty treats a missing map as an empty one (a cohort nobody was away in).
var cmpEmpty = cmpopts.EquateEmpty()
