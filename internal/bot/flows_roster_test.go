package bot_test

import (
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// week2 is a moment inside week 2 (2027-01-18 … 2027-01-24, UTC).
var week2 = time.Date(2027, 1, 19, 10, 0, 0, 0, time.UTC)

// outcome reads handle's stored outcome and its link.
func outcome(t *testing.T, w *bottest.World, handle string) (string, string) {
	t.Helper()
	var o, link string
	err := w.Store.QueryRow(w.Ctx, `SELECT outcome, outcome_link FROM members WHERE handle_lower = ? AND role = 'mentee'`, handle).Scan(&o, &link)
	if err != nil {
		t.Fatal(err)
	}
	return o, link
}

// afterOutcome is the cohort's issues once handle graduated or withdrew:
// the outcome label on their issue, closed as not planned on withdrawal.
func afterOutcome(before []bottest.IssueView, handle, outcome string) []bottest.IssueView {
	out := withLabel(before, menteeIssue[handle], "outcome/"+outcome)
	if outcome == "withdrawn" {
		for i := range out {
			if out[i].Number == menteeIssue[handle] {
				out[i].State, out[i].Reason = "closed", "not_planned"
			}
		}
	}
	return out
}

const pr = "https://github.com/kubernetes/kubernetes/pull/1"

// rosterCases are TestFlowRosterOutcomes's commands.
var rosterCases = []struct {
	name, author string
	issue        int
	body         string
	who, outcome string // the mentee and outcome recorded; "" refused
	link         string
}{
	{name: "graduate by a mentee", author: "pete", issue: hubIssue, body: "/graduate @quinn"},
	{name: "graduate by a mentee themself", author: "quinn", issue: menteeIssue["quinn"], body: "/graduate"},
	{name: "graduate by a stranger", author: "randy", issue: hubIssue, body: "/graduate @quinn"},
	{name: "graduate by a mentor", author: "mentor-cy", issue: hubIssue, body: "/graduate @quinn", who: "quinn", outcome: "graduated"},
	{name: "graduate by an organizer", author: bottest.Organizer, issue: menteeIssue["rosa"], body: "/graduate " + pr, who: "rosa", outcome: "graduated", link: pr},
	{name: "graduate with a reference", author: "mentor-ben", issue: menteeIssue["noah"], body: "/graduate kubernetes/kubernetes#7", who: "noah", outcome: "graduated", link: "kubernetes/kubernetes#7"},
	{name: "graduate not a link", author: bottest.Organizer, issue: hubIssue, body: "/graduate @pete great"},
	{name: "graduate two links", author: bottest.Organizer, issue: hubIssue, body: "/graduate @pete https://a.example/1 https://a.example/2"},
	{name: "graduate unnamed on the hub", author: bottest.Organizer, issue: hubIssue, body: "/graduate"},
	{name: "graduate a stranger", author: bottest.Organizer, issue: hubIssue, body: "/graduate @randy"},
	{name: "graduate a mentor", author: bottest.Organizer, issue: hubIssue, body: "/graduate @mentor-cy"},
	{name: "graduate a bad handle", author: bottest.Organizer, issue: hubIssue, body: "/graduate @pe_te"},
	{name: "withdraw another mentee", author: "pete", issue: hubIssue, body: "/withdraw @tess"},
	{name: "withdraw by a stranger", author: "randy", issue: menteeIssue["tess"], body: "/withdraw"},
	{name: "withdraw themself", author: "sam", issue: menteeIssue["sam"], body: "/withdraw", who: "sam", outcome: "withdrawn"},
	{name: "withdraw themself on the hub", author: "sam", issue: hubIssue, body: "/withdraw", who: "sam", outcome: "withdrawn"},
	{name: "withdraw by a mentor", author: "mentor-cy", issue: hubIssue, body: "/withdraw @tess", who: "tess", outcome: "withdrawn"},
	{name: "withdraw by an organizer", author: bottest.Organizer, issue: menteeIssue["olga"], body: "/withdraw", who: "olga", outcome: "withdrawn"},
	{name: "withdraw unnamed by a mentor on the hub", author: "mentor-ann", issue: hubIssue, body: "/withdraw"},
	{name: "withdraw a stranger", author: bottest.Organizer, issue: hubIssue, body: "/withdraw @randy"},
	{name: "withdraw extra words", author: "noah", issue: hubIssue, body: "/withdraw @noah now"},
}

// TestFlowRosterOutcomes runs /graduate and /withdraw (SPEC §5) by every
// role and with every kind of bad argument, each on a fresh cohort, and
// compares the simulated GitHub afterwards: the bot's reactions, the
// issues' labels and states, the stored outcome, and the reply of a
// refusal (golden files in testdata/flows/roster).
func TestFlowRosterOutcomes(t *testing.T) {
	for _, tc := range rosterCases {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.Sim.AddUser("randy")
			before := w.Issues()
			w.At(week2)
			c := w.Comment(tc.author, tc.issue, tc.body)
			replies := w.BotComments(tc.issue)
			if tc.outcome == "" {
				diff(t, "reactions", []string{"confused"}, w.Reactions(c.ID))
				diff(t, "issues", before, w.Issues())
				if len(replies) != 1 {
					t.Fatalf("replies %q, want one", replies)
				}
				w.Golden(goldenName("flows/roster", tc.name), replies[0], goldenUpdate())
				return
			}
			diff(t, "reactions", []string{"+1"}, w.Reactions(c.ID))
			diff(t, "replies", []string{}, replies)
			diff(t, "issues", afterOutcome(before, tc.who, tc.outcome), w.Issues())
			o, link := outcome(t, w, tc.who)
			diff(t, "stored outcome", [2]string{tc.outcome, tc.link}, [2]string{o, link})
			w.Golden(goldenName("flows/roster", tc.name+" hub"), w.Plain(w.Sim.Issue(w.Repo, hubIssue).Body), goldenUpdate())
		})
	}
}
