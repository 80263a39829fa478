package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// helpRow is a row of /cohort-help's table: its command's usage.
var helpRow = regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")

// TestHelpListsWhatTheGateAllows: /cohort-help lists exactly the commands
// the registry lets its author use on that issue — the same gate that
// refuses them — so help never offers a command that would be refused.
func TestHelpListsWhatTheGateAllows(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.Sim.AddUser("randy")
		both := []string{"/checkin [@mentee]", "/away [N]", "/withdraw [@mentee]", "/progress [@mentee]", "/cohort-help"}
		organizerHub := []string{"/graduate @mentee [link]", "/withdraw [@mentee]", "/add-mentee @x [-> @mentor]",
			"/remove-mentee @x", "/add-mentor @x", "/remove-mentor @x", "/skip-week N", "/extend YYYY-MM-DD",
			"/close-cohort", "/propose-cohort <ladder step> [SIG or area]", "/progress [@mentee]", "/cohort-help"}
		tests := []struct {
			name, author string
			issue        int
			want         []string
		}{
			{name: "mentee on the hub", author: "pete", issue: f.hub, want: both},
			{name: "mentee on their issue", author: "pete", issue: f.mentees["pete"], want: both},
			{name: "mentor on the hub", author: "mentor-ann", issue: f.hub,
				want: []string{"/checkin [@mentee]", "/graduate @mentee [link]", "/withdraw [@mentee]", "/progress [@mentee]", "/cohort-help"}},
			{name: "organizer on the hub", author: organizer, issue: f.hub, want: organizerHub},
			{name: "organizer on a mentee issue", author: organizer, issue: f.mentees["pete"],
				want: []string{"/graduate @mentee [link]", "/withdraw [@mentee]", "/propose-cohort <ladder step> [SIG or area]",
					"/progress [@mentee]", "/cohort-help"}},
			{name: "stranger", author: "randy", issue: f.hub}, // told who the commands are for, no table
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := e.command(tc.author, tc.issue, "/cohort-help", week1.Add(time.Duration(i)*time.Minute))
				replies := e.repliesTo(repo, tc.issue, c)
				if len(replies) != 1 {
					t.Fatalf("%d replies to /cohort-help, want 1: %q", len(replies), replies)
				}
				var got []string
				for _, m := range helpRow.FindAllStringSubmatch(replies[0], -1) {
					got = append(got, m[1])
				}
				if tc.want == nil && !strings.Contains(replies[0], "none of cohortbot's commands are open to you on this issue") {
					t.Errorf("@%s's /cohort-help does not say no command is open to them:\n%s", tc.author, replies[0])
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("@%s's /cohort-help (-want +got):\n%s\n%s", tc.author, d, replies[0])
				}
			})
		}
	})
}
