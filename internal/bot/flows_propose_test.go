package bot_test

import (
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/bot/request"
)

// proposeWorld is a world whose waitlist holds mia (Reviewer, SIG Apps),
// noah (Reviewer, SIG Apps and SIG CLI), olga (Reviewer, 9 hours from the
// others), pete (Reviewer), quinn (Approver), rosa and sam (Member) and
// mentor-ann's offer for Reviewer; #10 is a plain issue for commands.
func proposeWorld(t *testing.T) *bottest.World {
	t.Helper()
	w := bottest.New(t)
	w.Join("mia", "Reviewer", "SIG Apps", "Europe/Berlin")
	w.Join("noah", "Reviewer", "SIG Apps, SIG CLI", "Europe/Paris")
	w.Join("olga", "Reviewer", "SIG Apps", "America/Los_Angeles")
	w.Join("pete", "Reviewer", "SIG Apps", "Africa/Lagos")
	w.Join("quinn", "Approver", "SIG Apps", "Europe/Berlin")
	w.Join("rosa", "Member", "SIG Apps", "UTC")
	w.Join("sam", "Member", "SIG Docs", "UTC")
	w.Offer("mentor-ann", "Reviewer", "SIG Apps", "Europe/London", "3")
	w.Sim.OpenIssue(bottest.Organizer, w.Repo, "Planning", "Let us form the next cohorts.")
	if n := len(w.Issues()); n != planning {
		t.Fatalf("%d issues, want %d", n, planning)
	}
	return w
}

const planning = 9 // the plain issue of proposeWorld

// waitlisted are proposeWorld's issues.
func waitlisted() []bottest.IssueView {
	var out []bottest.IssueView
	for i, who := range []string{"mia", "noah", "olga", "pete", "quinn", "rosa", "sam"} {
		out = append(out, waitIssue(i+1, who, "open", "", onList...))
	}
	out = append(out, waitIssue(8, "mentor-ann", "open", "", offered...))
	return append(out, issue(planning, "Planning", "open", nil, nil))
}

// TestFlowProposeCohort runs /propose-cohort (SPEC §11) by an organizer,
// and refused or unanswerable ones, on proposeWorld: one draft new-cohort
// request filled from the waitlist (golden), or a reply saying why not and
// nothing opened.
func TestFlowProposeCohort(t *testing.T) {
	draft := issue(planning+1, "New cohort: Reviewer SIG Apps (proposed)", "open", []string{"cohort/draft"}, nil)
	tests := []struct {
		name, who, cmd string
		react          string // 👍 also for "too few": answered, not refused
		draft          bool
	}{
		{name: "by an organizer", who: bottest.Organizer, cmd: "/propose-cohort Reviewer SIG Apps", react: "+1", draft: true},
		{name: "by a mentee", who: "mia", cmd: "/propose-cohort Reviewer SIG Apps", react: "confused"},
		{name: "by a stranger", who: "randy", cmd: "/propose-cohort Reviewer", react: "confused"},
		{name: "unknown step", who: bottest.Organizer, cmd: "/propose-cohort Wizard SIG Apps", react: "confused"},
		{name: "no step", who: bottest.Organizer, cmd: "/propose-cohort", react: "confused"},
		{name: "no mentee for the step", who: bottest.Organizer, cmd: "/propose-cohort Subproject owner", react: "+1"},
		{name: "no mentee in the area", who: bottest.Organizer, cmd: "/propose-cohort Reviewer SIG Storage", react: "+1"},
		{name: "too few mentors", who: bottest.Organizer, cmd: "/propose-cohort Member", react: "+1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := proposeWorld(t)
			w.Sim.AddUser("randy")
			c := w.Comment(tc.who, planning, tc.cmd)
			want := waitlisted()
			if tc.draft {
				want = append(want, draft)
			}
			diff(t, "issues", want, w.Issues())
			diff(t, "reactions", []string{tc.react}, w.Reactions(c.ID))
			replies := w.BotComments(planning)
			if len(replies) != 1 {
				t.Fatalf("replies %q, want one", replies)
			}
			w.Golden(goldenName("flows/propose", tc.name), replies[0], goldenUpdate())
			if tc.draft {
				w.Golden(goldenName("flows/propose", tc.name+" draft"), w.Plain(w.Sim.Issue(w.Repo, planning+1).Body), goldenUpdate())
			}
		})
	}
}

// TestFlowProposeCohortAccepted: the draft is no request until an
// organizer dates it and adds cohort/request; then the cohort is created
// and the waitlisted people it took leave the waitlist, their issues
// closed with a link.
func TestFlowProposeCohortAccepted(t *testing.T) {
	w := proposeWorld(t)
	w.Comment(bottest.Organizer, planning, "/propose-cohort Reviewer SIG Apps")
	d := planning + 1
	body := w.Sim.Issue(w.Repo, d).Body
	dated := strings.NewReplacer("### Start date\n\n_No response_", "### Start date\n\n2027-01-11",
		"### End date\n\n_No response_", "### End date\n\n2027-03-21").Replace(body)
	if dated == body {
		t.Fatalf("the draft has no blank dates:\n%s", body)
	}
	w.Sim.EditIssueBody(bottest.Organizer, w.Repo, d, dated)
	// The issues handler passes an edit to the request flow only when
	// request.IsRequest says it is one: a draft is not, until labelled.
	if is := w.Sim.Issue(w.Repo, d); request.IsRequest(is.Labels, is.Body) {
		t.Fatalf("the dated draft (labels %v) counts as a request", is.Labels)
	}
	w.Sim.AddLabel(bottest.Organizer, w.Repo, d, "cohort/request")
	if is := w.Sim.Issue(w.Repo, d); !request.IsRequest(is.Labels, is.Body) {
		t.Fatalf("the labelled draft (labels %v) is no request", is.Labels)
	}
	w.Rerequest(bottest.Organizer, d)
	got := w.Issues()
	var states []string
	for _, is := range got[:planning] {
		states = append(states, is.State+"/"+is.Reason)
	}
	diff(t, "waitlist issues' states", []string{"closed/completed", "closed/completed", "open/", "closed/completed", "open/", "open/", "open/", "closed/completed", "open/"}, states)
	w.Golden("flows/propose/accepted-mia", w.BotComments(1)[len(w.BotComments(1))-1], goldenUpdate())
	w.Golden("flows/propose/accepted-request", w.BotComments(d)[0], goldenUpdate())
}
