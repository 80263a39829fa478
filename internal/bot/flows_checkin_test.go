package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// cohortWorld is a world with the valid request's cohort created: the hub
// is #2, the mentees' issues #3 (mia) … #10 (tess).
func cohortWorld(t *testing.T) *bottest.World {
	t.Helper()
	w := bottest.New(t)
	w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
	if n := len(w.Issues()); n != 10 {
		t.Fatalf("%d issues after the request, want 10", n)
	}
	return w
}

// menteeIssue is the number of handle's tracking issue in cohortWorld.
var menteeIssue = map[string]int{"mia": 3, "noah": 4, "olga": 5, "pete": 6, "quinn": 7, "rosa": 8, "sam": 9, "tess": 10}

const hubIssue = 2

// week1 is a moment inside week 1 (2027-01-11 … 2027-01-17, UTC).
var week1 = time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)

const complete = "/checkin\nAccomplishments: reviewed two PRs in kubectl\nChallenges: finding time | juggling work\nNext steps: shadow a release"

// boardRow is handle's row of the hub's check-in board.
func boardRow(w *bottest.World, handle string) string {
	for _, l := range strings.Split(w.Sim.Issue(w.Repo, hubIssue).Body, "\n") {
		if strings.HasPrefix(l, "| @"+handle+" |") && strings.Count(l, "|") > 5 {
			return l
		}
	}
	return ""
}

// withLabel is issues with label added to issue number (labels kept sorted).
func withLabel(issues []bottest.IssueView, number int, label string) []bottest.IssueView {
	out := slices.Clone(issues)
	for i := range out {
		if out[i].Number == number {
			out[i].Labels = append(slices.Clone(out[i].Labels), label)
			slices.Sort(out[i].Labels)
		}
	}
	return out
}

const (
	notYet   = "| @olga | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ |"
	olgaDone = "| @olga | ✅ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ | ➖ |"
)

// TestFlowCheckin records or refuses one check-in per case (SPEC §4) on a
// fresh cohort and compares the simulated GitHub afterwards: the bot's
// reactions on the comment, its reply (golden files in
// testdata/flows/checkin), every issue's labels, olga's board row.
func TestFlowCheckin(t *testing.T) {
	tests := []struct {
		name, author, body string
		issue              int
		at                 time.Time
		reacts             []string
		reply              bool   // a reply is expected (golden file)
		row                string // olga's board row afterwards
		recorded           bool   // olga's issue gets checkin/week-1
	}{
		{name: "valid", author: "olga", issue: menteeIssue["olga"], body: complete, at: week1, reacts: []string{"+1"}, row: olgaDone, recorded: true},
		{name: "valid on the hub", author: "olga", issue: hubIssue, body: complete, at: week1, reacts: []string{"+1"}, row: olgaDone, recorded: true},
		{name: "missing sections", author: "olga", issue: menteeIssue["olga"], body: "/checkin\nAccomplishments: read the contributor guide", at: week1, reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "before the start", author: "olga", issue: menteeIssue["olga"], body: complete, at: time.Date(2027, 1, 10, 23, 0, 0, 0, time.UTC), reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "after the end", author: "olga", issue: menteeIssue["olga"], body: complete, at: time.Date(2027, 3, 22, 0, 30, 0, 0, time.UTC), reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "by a mentor for a mentee", author: "mentor-ben", issue: hubIssue, body: strings.Replace(complete, "/checkin", "/checkin @olga", 1), at: week1, reacts: []string{"+1"}, row: olgaDone, recorded: true},
		{name: "bare by a mentor on the mentee's issue", author: "mentor-ben", issue: menteeIssue["olga"], body: complete, at: week1, reacts: []string{"+1"}, row: olgaDone, recorded: true},
		{name: "bare by a mentor on the hub", author: "mentor-ben", issue: hubIssue, body: complete, at: week1, reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "by a stranger", author: "randy", issue: hubIssue, body: complete, at: week1, reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "by a stranger for a mentee", author: "randy", issue: menteeIssue["olga"], body: strings.Replace(complete, "/checkin", "/checkin @olga", 1), at: week1, reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "by a mentee for another", author: "pete", issue: hubIssue, body: strings.Replace(complete, "/checkin", "/checkin @olga", 1), at: week1, reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "by a mentor for a stranger", author: "mentor-ann", issue: hubIssue, body: strings.Replace(complete, "/checkin", "/checkin @randy", 1), at: week1, reacts: []string{"confused"}, reply: true, row: notYet},
		{name: "misspelled", author: "olga", issue: menteeIssue["olga"], body: "/check-in\nAccomplishments: x\nChallenges: y", at: week1, reacts: []string{}, reply: true, row: notYet},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.Sim.AddUser("randy")
			before := w.Issues()
			w.At(tc.at)
			c := w.Comment(tc.author, tc.issue, tc.body)
			diff(t, "reactions", tc.reacts, w.Reactions(c.ID))
			want := before
			if tc.recorded {
				want = withLabel(before, menteeIssue["olga"], "checkin/week-1")
			}
			diff(t, "issues", want, w.Issues())
			diff(t, "olga's board row", tc.row, boardRow(w, "olga"))
			replies := w.BotComments(tc.issue)
			switch {
			case tc.reply && len(replies) == 1:
				w.Golden(goldenName("flows/checkin", tc.name), replies[0], goldenUpdate())
			case tc.reply || len(replies) != 0:
				t.Fatalf("replies %q, want %v", replies, tc.reply)
			}
			if tc.recorded {
				w.Golden(goldenName("flows/checkin", tc.name+" log"), w.Plain(w.Sim.Issue(w.Repo, menteeIssue["olga"]).Body), goldenUpdate())
			}
		})
	}
}

// TestFlowCheckinCompletedByEdit: an incomplete check-in gets 😕 and a reply
// saying what is missing; once its author edits the comment to add it, the
// check-in is recorded, the 😕 makes way for a 👍 and the reply is edited to
// say so — in place, not a second reply. Editing again changes nothing.
func TestFlowCheckinCompletedByEdit(t *testing.T) {
	w := cohortWorld(t)
	w.At(week1)
	before := w.Issues()
	c := w.Comment("olga", menteeIssue["olga"], "/checkin\nAccomplishments: read the contributor guide")
	diff(t, "reactions while incomplete", []string{"confused"}, w.Reactions(c.ID))
	if r := w.BotComments(menteeIssue["olga"]); len(r) != 1 || !strings.Contains(r[0], "missing **Challenges**") {
		t.Fatalf("replies while incomplete: %q", r)
	}

	w.At(week1.Add(time.Hour))
	w.EditComment("olga", c.ID, complete)
	diff(t, "reactions once complete", []string{"+1"}, w.Reactions(c.ID))
	diff(t, "issues", withLabel(before, menteeIssue["olga"], "checkin/week-1"), w.Issues())
	diff(t, "olga's board row", olgaDone, boardRow(w, "olga"))
	replies := w.BotComments(menteeIssue["olga"])
	if len(replies) != 1 || !strings.HasPrefix(replies[0], "@olga: thanks, this check-in is complete now and has been recorded. 👍") {
		t.Fatalf("replies once complete: want the one reply, edited; got %q", replies)
	}

	w.EditComment("olga", c.ID, complete+"\nBlockers: none") // a later edit
	diff(t, "reactions after another edit", []string{"+1"}, w.Reactions(c.ID))
	diff(t, "replies after another edit", replies, w.BotComments(menteeIssue["olga"]))
	diff(t, "issues after another edit", withLabel(before, menteeIssue["olga"], "checkin/week-1"), w.Issues())
}
