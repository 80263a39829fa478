package web_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

// TestProgramFiguresMatchCohortPages: the overview's figures, computed in
// one SQL query, equal the ones each cohort's page computes from its
// board's cells, on both databases, including the edge cases of the
// board's rules: a check-in while off the roster, a mentee who joined late
// or withdrew, a removed one, and away weeks that are also skipped or
// checked in.
func TestProgramFiguresMatchCohortPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		cs := program()
		edge := cs[0]
		edge.id, edge.spec.Slug = 301, "edge-cases"
		edge.boundaryDone = 5
		edge.checkins = map[string][]int{"bob": {1, 2, 4, 6}, "carol": {1, 4}, "dave": {3, 5}}
		edge.aways = map[string][]int{"bob": {2, 3}, "carol": {3, 4}, "dave": {1, 4}}
		edge.skipped = []int{2, 4}
		seed(t, st, append(cs, edge))
		ctx := context.Background()
		// carol withdrew in week 4 (still checked in that week), dave joined
		// in week 3, and a removed mentee is not counted at all.
		must(t, st.SaveRoster(ctx, 301, edge.spec,
			store.Member{Handle: "carol", Role: store.RoleMentee, Mentor: "mentor-ann", Status: store.StatusWithdrawn, JoinedWeek: 1, LeftWeek: 4},
			store.Member{Handle: "dave", Role: store.RoleMentee, Mentor: "mentor-ann", Status: store.StatusActive, JoinedWeek: 3},
			store.Member{Handle: "zed", Role: store.RoleMentee, Mentor: "mentor-ann", Status: store.StatusRemoved, JoinedWeek: 1, LeftWeek: 2}))
		got, err := st.ProgramFigures(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]store.CohortFigures{}
		for _, c := range append(cs, edge) {
			a, err := st.CohortAttendance(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			want[c.id] = web.FiguresForTest(a, c.spec.Weeks(), c.boundaryDone)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("overview figures (-cohort pages +overview):\n%s", d)
		}
		if e := want[301]; e.Checked == 0 || e.Missed == 0 {
			t.Errorf("the edge-case cohort has %+v: the test covers nothing", e)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
