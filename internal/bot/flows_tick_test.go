package bot_test

import (
	"slices"
	"testing"
	"time"
)

// TestFlowWeekBoundary checks in some mentees during week 1, ticks after
// it ended (SPEC §6) and compares the simulated GitHub: checkin/missed on
// the others' issues, one hub comment (golden), and no write at all from
// a second tick at the same instant.
func TestFlowWeekBoundary(t *testing.T) {
	all := []string{"mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}
	tests := []struct {
		name      string
		checkedIn []string
	}{
		{"nobody checked in", nil},
		{"three checked in", []string{"mia", "noah", "olga"}},
		{"a mentor checked in for one", []string{"pete"}},
		{"everyone checked in", all},
	}
	boundary := time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC) // week 1 (2027-01-11 … 01-17) has ended
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.At(week1)
			for _, m := range tc.checkedIn {
				if tc.name == "a mentor checked in for one" {
					w.Comment("mentor-ann", hubIssue, "/checkin @"+m+"\nAccomplishments: a\nChallenges: b")
					continue
				}
				w.Comment(m, menteeIssue[m], complete)
			}
			before := w.Issues()
			hubBefore := len(w.BotComments(hubIssue))
			w.Tick(boundary)
			want := before
			for _, m := range all {
				if !slices.Contains(tc.checkedIn, m) {
					want = withLabel(want, menteeIssue[m], "checkin/missed")
				}
			}
			diff(t, "issues", want, w.Issues())
			hub := w.BotComments(hubIssue)
			if len(hub) != hubBefore+1 {
				t.Fatalf("%d new hub comments, want 1", len(hub)-hubBefore)
			}
			w.Golden(goldenName("flows/tick", tc.name), hub[len(hub)-1], goldenUpdate())

			writes := w.Writes()
			w.Tick(boundary)
			if n := w.Writes() - writes; n != 0 {
				t.Errorf("a second tick at the same instant made %d writes", n)
			}
		})
	}
}
