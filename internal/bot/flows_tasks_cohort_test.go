package bot_test

import (
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// TestFlowTaskCohortChoice: a mentor of two cohorts labels a pull request;
// the bot asks once which cohort it is for, refuses a wrong slug, and on
// /task-cohort hands it to that cohort's mentee, the question edited into
// the task comment (golden).
func TestFlowTaskCohortChoice(t *testing.T) {
	w := cohortWorld(t)
	repo := w.TaskRepo()
	for _, u := range []string{"uma", "vic"} {
		w.Sim.AddUser(u)
		w.Sim.SetPermission(w.Repo, u, "read")
		w.Sim.SetPermission(repo, u, "read")
	}
	second := bottest.With(bottest.ValidFields(), "Cohort name", "SIG CLI reviewers 2027", "Mentors", "@mentor-ann", "Mentees", "@uma\n@vic")
	w.Request(bottest.Organizer, "Another cohort", bottest.Form(second), "cohort/request")
	if n := len(w.Issues()); n != 14 {
		t.Fatalf("%d issues after the second request, want 14", n)
	}
	w.At(week1)
	pr := w.Sim.OpenPR(bottest.Contributor, repo, "Which cohort?", "…")
	w.LabelTask("mentor-ann", repo, pr.Number, taskLabel)
	w.LabelTask("mentor-ann", repo, pr.Number, taskLabel) // redelivered: asked once
	asked := w.BotCommentsIn(repo, pr.Number)
	if len(asked) != 1 {
		t.Fatalf("%d bot comments, want the one question: %q", len(asked), asked)
	}
	w.Golden("flows/tasks/cohort-question", asked[0], goldenUpdate())
	diff(t, "reviewers before the answer", []string{}, append([]string{}, w.Sim.RequestedReviewers(repo, pr.Number)...))
	// Until its cohort is settled the task cannot be handed on.
	early := w.CommentIn("mentor-ann", repo, pr.Number, "/reassign @uma")
	diff(t, "reactions to /reassign before the answer", []string{"confused"}, w.Reactions(early.ID))
	diff(t, "reviewers after /reassign before the answer", []string{}, append([]string{}, w.Sim.RequestedReviewers(repo, pr.Number)...))

	wrong := w.CommentIn("mentor-ann", repo, pr.Number, "/task-cohort sig-nope")
	diff(t, "reactions to a wrong slug", []string{"confused"}, w.Reactions(wrong.ID))
	diff(t, "reviewers after a wrong slug", []string{}, append([]string{}, w.Sim.RequestedReviewers(repo, pr.Number)...))
	other := w.CommentIn("mentor-ben", repo, pr.Number, "/task-cohort sig-cli-reviewers-2027")
	diff(t, "reactions to another mentor's answer", []string{"confused"}, w.Reactions(other.ID))

	answer := w.CommentIn("mentor-ann", repo, pr.Number, "Thanks!\n/task-cohort sig-cli-reviewers-2027")
	diff(t, "reactions to the answer", []string{"+1"}, w.Reactions(answer.ID))
	diff(t, "reviewers", []string{"uma"}, w.Sim.RequestedReviewers(repo, pr.Number))
	diff(t, "task repository's issues", []bottest.IssueView{issue(1, "Which cohort?", "open", prOpen, nil)}, w.IssuesIn(repo))
	// The first cohort's hub shows no task; the second's (#12) shows uma's.
	state := taskState(w, repo) + "=== second hub's task board\n" + region(w.Plain(w.Sim.Issue(w.Repo, 12).Body), "tasks") + "\n"
	w.Golden("flows/tasks/cohort-answered", state, goldenUpdate())
}
