package bot_test

import (
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// cohortIssues are the issues of the valid request after the cohort was
// created: the request closed, the hub, one issue per mentee.
func cohortIssues() []bottest.IssueView {
	mentee := []string{"cohort/active", "cohort/mentee", "in-cohort/sig-apps-reviewers-2027"}
	out := []bottest.IssueView{
		{Number: 1, Title: "New cohort", State: "closed", Reason: "completed", Labels: []string{"cohort/request"}, Assignees: []string{}},
		issue(2, "Cohort: SIG Apps reviewers 2027 — Reviewer (2027-01-11 → 2027-03-21)", "open",
			[]string{"cohort/active", "cohort/hub", "in-cohort/sig-apps-reviewers-2027"}, []string{"mentor-ann", "mentor-ben", "mentor-cy"}),
	}
	for i, m := range []string{"mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"} {
		out = append(out, issue(3+i, "SIG Apps reviewers 2027: @"+m+"'s progress", "open", mentee, []string{m}))
	}
	return out
}

// TestFlowRequestValid: a valid request creates the hub and the mentee
// issues and closes the request with one comment; a redelivery, and an
// edit after creation, change nothing.
func TestFlowRequestValid(t *testing.T) {
	w := bottest.New(t)
	req := w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
	diff(t, "issues", cohortIssues(), w.Issues())
	cs := w.BotComments(req.Number)
	if len(cs) != 1 {
		t.Fatalf("%d comments on the request, want 1", len(cs))
	}
	w.Golden("flows/request/created", cs[0], goldenUpdate())
	w.Golden("flows/request/hub", w.Plain(w.Sim.Issue(w.Repo, 2).Body), goldenUpdate())
	w.Golden("flows/request/mentee-mia", w.Plain(w.Sim.Issue(w.Repo, 3).Body), goldenUpdate())
	diff(t, "sub-issues of the hub", []int{3, 4, 5, 6, 7, 8, 9, 10}, w.Sim.SubIssues(w.Repo, 2))

	w.Rerequest(bottest.Organizer, req.Number)
	diff(t, "issues after a redelivery", cohortIssues(), w.Issues())
	diff(t, "comments after a redelivery", cs, w.BotComments(req.Number))
}

// TestFlowRequestFixedByEdits: an invalid request gets one report, edited
// as the request is edited, and finally into the success message.
func TestFlowRequestFixedByEdits(t *testing.T) {
	w := bottest.New(t)
	v := bottest.ValidFields()
	bad := bottest.With(v, "Ladder step", "Wizard", "Time zone", "Mars/Olympus")
	req := w.Request(bottest.Organizer, "New cohort", bottest.Form(bad), "cohort/request")
	first := w.Sim.Comments(w.Repo, req.Number)
	if len(first) != 1 {
		t.Fatalf("%d comments, want 1", len(first))
	}
	w.Golden("flows/request/edit-1", w.BotComments(req.Number)[0], goldenUpdate())

	w.Sim.EditIssueBody(bottest.Organizer, w.Repo, req.Number, bottest.Form(bottest.With(v, "Time zone", "Mars/Olympus")))
	w.Rerequest(bottest.Organizer, req.Number)
	w.Golden("flows/request/edit-2", w.BotComments(req.Number)[0], goldenUpdate())
	diff(t, "issues after the first edit", []bottest.IssueView{issue(1, "New cohort", "open", []string{"cohort/needs-fixes", "cohort/request"}, nil)}, w.Issues())

	w.Sim.EditIssueBody(bottest.Organizer, w.Repo, req.Number, bottest.Form(v))
	w.Rerequest(bottest.Organizer, req.Number)
	diff(t, "issues after the second edit", cohortIssues(), w.Issues())
	after := w.Sim.Comments(w.Repo, req.Number)
	if len(after) != 1 || after[0].ID != first[0].ID {
		t.Fatalf("want the one report edited in place, got %d comments", len(after))
	}
	w.Golden("flows/request/created", w.BotComments(req.Number)[0], goldenUpdate())
}
