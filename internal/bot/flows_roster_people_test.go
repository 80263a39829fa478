package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// step is one thing a roster case does; it returns the comment it posted.
type step func(w *bottest.World) *ghsim.Comment

// by is a comment by author on issue number at the clock's instant.
func by(author string, number int, body string) step {
	return func(w *bottest.World) *ghsim.Comment { return w.Comment(author, number, body) }
}

// org is an organizer's command on the hub.
func org(body string) step { return by(bottest.Organizer, hubIssue, body) }

// seq runs steps in order and returns the last one's comment.
func seq(steps ...step) step {
	return func(w *bottest.World) *ghsim.Comment {
		var c *ghsim.Comment
		for _, s := range steps {
			c = s(w)
		}
		return c
	}
}

// changed is issues with f applied to issue number (labels kept sorted).
func changed(issues []bottest.IssueView, number int, f func(*bottest.IssueView)) []bottest.IssueView {
	out := slices.Clone(issues)
	for i := range out {
		if out[i].Number == number {
			out[i].Labels = slices.Clone(out[i].Labels)
			out[i].Assignees = slices.Clone(out[i].Assignees)
			f(&out[i])
			slices.Sort(out[i].Labels)
			slices.Sort(out[i].Assignees)
		}
	}
	return out
}

// menteeLabels are a running cohort's mentee issue's labels.
var menteeLabels = []string{"cohort/active", "cohort/mentee", "in-cohort/sig-apps-reviewers-2027"}

// randyIssue is the issue /add-mentee @randy opens, #11.
func randyIssue(issues []bottest.IssueView) []bottest.IssueView {
	return append(slices.Clone(issues), issue(11, "SIG Apps reviewers 2027: @randy's progress", "open", menteeLabels, []string{"randy"}))
}

// removedIssue is issues once handle was removed: their issue closed as
// not planned, without cohort/active.
func removedIssue(handle string) func([]bottest.IssueView) []bottest.IssueView {
	return func(issues []bottest.IssueView) []bottest.IssueView {
		return changed(issues, menteeIssue[handle], func(v *bottest.IssueView) {
			v.State, v.Reason = "closed", "not_planned"
			v.Labels = slices.DeleteFunc(v.Labels, func(l string) bool { return l == "cohort/active" })
		})
	}
}

// rosterPeopleCase is one case of TestFlowRosterPeople: steps at week 2 (or
// whenever they set the clock), the reactions to the last comment, and the
// issues afterwards (issues(before); nil: unchanged). show are issues whose
// bot comments go to the golden file too.
type rosterPeopleCase struct {
	name   string
	steps  step
	reacts []string
	issues func(before []bottest.IssueView) []bottest.IssueView
	show   []int
}

var (
	refused = []string{"confused"}
	done    = []string{"+1"}
)

var rosterMenteeCases = []rosterPeopleCase{
	{name: "add a mentee", steps: org("/add-mentee @randy"), reacts: done, issues: randyIssue},
	// The pairing is written as the roster spells the mentor.
	{name: "add a paired mentee", steps: org("/add-mentee @randy -> @Mentor-CY"), reacts: done, issues: randyIssue},
	// Before the start a new mentee is expected from week 1.
	{name: "add a mentee before the start", steps: func(w *bottest.World) *ghsim.Comment {
		w.At(bottest.Start)
		return org("/add-mentee @randy")(w)
	}, reacts: done, issues: randyIssue},
	{name: "add a mentee without a handle", steps: org("/add-mentee"), reacts: refused},
	{name: "add a mentee with a bad handle", steps: org("/add-mentee @ra_ndy"), reacts: refused},
	{name: "add two mentees at once", steps: org("/add-mentee @randy @uma"), reacts: refused},
	{name: "add a mentee already on the roster", steps: org("/add-mentee @mia"), reacts: refused},
	// Every problem at once, one per line.
	{name: "add a mentor as a mentee paired with a stranger", steps: org("/add-mentee @mentor-ann -> @mentor-zed"), reacts: refused},
	{name: "add a mentee paired with a full mentor", steps: seq(
		by("pete", menteeIssue["pete"], "/withdraw"), org("/add-mentee @randy -> @mentor-ann"), org("/add-mentee @uma -> @mentor-ann"),
	), reacts: refused, issues: func(before []bottest.IssueView) []bottest.IssueView {
		return randyIssue(afterOutcome(before, "pete", "withdrawn"))
	}},
	{name: "add a mentee beyond the mentor ratio", steps: seq(org("/add-mentee @randy"), org("/add-mentee @uma")),
		reacts: refused, issues: randyIssue},
	{name: "add a mentee after the end", steps: func(w *bottest.World) *ghsim.Comment {
		w.At(dayAfterEnd) // before the tick closes it
		return org("/add-mentee @randy")(w)
	}, reacts: refused},
	{name: "add a mentee by a mentor", steps: by("mentor-ann", hubIssue, "/add-mentee @randy"), reacts: refused},
	{name: "add a mentee on a mentee issue", steps: by(bottest.Organizer, menteeIssue["mia"], "/add-mentee @randy"), reacts: refused},
	// A mentee who withdrew and comes back gets their issue back, open,
	// without outcome/withdrawn.
	{name: "add a withdrawn mentee back", steps: seq(by("sam", menteeIssue["sam"], "/withdraw"), org("/add-mentee @sam")),
		reacts: done, show: []int{menteeIssue["sam"]}},
	{name: "add a removed mentee back", steps: seq(org("/remove-mentee @sam"), org("/add-mentee @sam")),
		reacts: done, show: []int{menteeIssue["sam"]}},
	{name: "remove a mentee", steps: org("/remove-mentee @sam"), reacts: done, issues: removedIssue("sam"), show: []int{menteeIssue["sam"]}},
	{name: "remove a mentee twice", steps: seq(org("/remove-mentee @sam"), org("/remove-mentee @sam")),
		reacts: refused, issues: removedIssue("sam")},
	// A withdrawn mentee removed leaves the board too; the outcome label
	// of their withdrawal stays on their closed issue.
	{name: "remove a withdrawn mentee", steps: seq(by("sam", menteeIssue["sam"], "/withdraw"), org("/remove-mentee @sam")),
		reacts: done, issues: func(before []bottest.IssueView) []bottest.IssueView {
			return removedIssue("sam")(withLabel(before, menteeIssue["sam"], "outcome/withdrawn"))
		}, show: []int{menteeIssue["sam"]}},
	// After the end date, before the tick closes the cohort: sam counts
	// for every week of it.
	{name: "withdraw after the end date", steps: func(w *bottest.World) *ghsim.Comment {
		w.At(dayAfterEnd)
		return by("sam", menteeIssue["sam"], "/withdraw")(w)
	}, reacts: done, issues: func(before []bottest.IssueView) []bottest.IssueView {
		return afterOutcome(before, "sam", "withdrawn")
	}},
	{name: "remove a stranger", steps: org("/remove-mentee @randy"), reacts: refused},
	{name: "remove two mentees at once", steps: org("/remove-mentee @sam @tess"), reacts: refused},
	{name: "remove a mentee with a bad handle", steps: org("/remove-mentee sam!"), reacts: refused},
	{name: "remove a mentee by a mentor", steps: by("mentor-ann", hubIssue, "/remove-mentee @sam"), reacts: refused},
}

// TestFlowRosterPeople runs /add-mentee and /remove-mentee (SPEC §5:
// organizers, on the hub, the form's rules), each case on a fresh cohort,
// and compares the simulated GitHub afterwards: the reactions to the last
// command, the issues, and in a golden file (testdata/flows/roster-people)
// the bot's reply if any, the hub's roster and check-in board, and the
// bodies of and bot's comments on the issues a case shows. A refusal says why and
// changes nothing.
func TestFlowRosterPeople(t *testing.T) {
	runRosterPeople(t, "flows/roster-people", rosterMenteeCases)
}

func runRosterPeople(t *testing.T, dir string, cases []rosterPeopleCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.Sim.AddUser("randy")
			w.Sim.AddUser("uma")
			before := w.Issues()
			w.At(week2)
			c := tc.steps(w)
			diff(t, "reactions", tc.reacts, w.Reactions(c.ID))
			want := before
			if tc.issues != nil {
				want = tc.issues(before)
			}
			diff(t, "issues", want, w.Issues())
			w.Golden(goldenName(dir, tc.name), rosterShow(t, w, c, tc.show), goldenUpdate())
		})
	}
}

// rosterShow is what a roster case's golden file holds: the reply to c
// (the bot's one reply on its issue, which must be there exactly when c
// was refused), the hub's roster and board, and the bodies of and bot's
// comments on the issues of show.
func rosterShow(t *testing.T, w *bottest.World, c *ghsim.Comment, show []int) string {
	t.Helper()
	replies := repliesTo(w, c)
	var b strings.Builder
	refusedNow := slices.Equal(w.Reactions(c.ID), refused)
	switch {
	case len(replies) > 1, refusedNow && len(replies) != 1:
		t.Fatalf("replies %q to a comment with reactions %q", replies, w.Reactions(c.ID))
	case len(replies) == 1:
		b.WriteString("=== reply\n" + replies[0] + "\n")
	}
	hub := w.Sim.Issue(w.Repo, hubIssue)
	b.WriteString("=== hub: " + w.Plain(hub.Title) + "\n" + strings.TrimSpace(w.Plain(region(hub.Body, "roster"))) + "\n")
	b.WriteString("=== board\n" + strings.TrimSpace(region(hub.Body, "checkins")) + "\n")
	for _, n := range show {
		fmt.Fprintf(&b, "=== #%d: %s\n%s\n", n, w.Plain(w.Sim.Issue(w.Repo, n).Title), w.Plain(w.Sim.Issue(w.Repo, n).Body))
		for _, bc := range w.BotComments(n) {
			fmt.Fprintf(&b, "=== bot comment on #%d\n%s\n", n, bc)
		}
	}
	return b.String()
}

// repliesTo are the bot's replies to comment c (its marker names c).
func repliesTo(w *bottest.World, c *ghsim.Comment) []string {
	marker := fmt.Sprintf("<!-- cohortbot:reply comment=%d -->", c.ID)
	var out []string
	for _, bc := range w.Sim.Comments(w.Repo, c.Issue) {
		if bc.User == w.Sim.BotLogin() && strings.Contains(bc.Body, marker) {
			out = append(out, w.Plain(bc.Body))
		}
	}
	return out
}
