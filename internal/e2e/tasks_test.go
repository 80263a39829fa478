package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/harness"
)

// kubectl is a second repository of the installation, where mentors find
// tasks; contributor opens its issues and pull requests.
const (
	kubectl     = "kubernetes/kubectl"
	contributor = "carla"
)

// taskRepo adds kubectl and gives the test's people read access, except
// those listed in without.
func (e *env) taskRepo(without ...string) {
	e.Sim.AddRepo(harness.InstallationID, kubectl, false)
	e.Sim.AddUser(contributor)
	for _, u := range people {
		if !has(without, u) {
			e.Sim.SetPermission(kubectl, u, "read")
		}
	}
}

// botSaid returns the bot's comments on issue or PR n of r.
func (e *env) botSaid(r string, n int) []*ghsim.Comment {
	var out []*ghsim.Comment
	for _, c := range e.Sim.Comments(r, n) {
		if c.User == e.Sim.BotLogin() {
			out = append(out, c)
		}
	}
	return out
}

// taskLine returns the line of body listing task ref ("" when none).
func taskLine(body, ref string) string {
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, "["+ref+"]") {
			return l
		}
	}
	return ""
}

// labelPR opens a PR in kubectl and has mentor label it good-first-review.
func (e *env) labelPR(mentor, title string) int {
	pr := e.Sim.OpenPR(contributor, kubectl, title, "Please review.")
	e.Sim.AddLabel(mentor, kubectl, pr.Number, "good-first-review")
	return pr.Number
}

func ref(n int) string { return fmt.Sprintf("%s#%d", kubectl, n) }

func TestTaskOnPullRequestDoneByReview(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		n := e.labelPR("mentor-ann", "Fix kubectl get -o wide")
		e.idle()
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"mia"}) {
			t.Errorf("requested reviewers %v, want mia (mentor-ann's first paired mentee)", got)
		}
		said := e.botSaid(kubectl, n)
		if len(said) != 1 || !strings.Contains(said[0].Body, "Mentoring task for @mia — cohort SIG Apps reviewers 2027, mentor @mentor-ann") {
			t.Fatalf("want one task comment, got %+v", said)
		}
		if !has(e.Sim.Issue(kubectl, n).Labels, "mentoring/task") {
			t.Errorf("labels %v lack mentoring/task", e.Sim.Issue(kubectl, n).Labels)
		}
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "🔄 open") || !strings.Contains(l, "@mia") {
			t.Errorf("hub task board line %q", l)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["mia"]).Body, ref(n)); !strings.Contains(l, "🔄 open") {
			t.Errorf("mia's task board line %q", l)
		}

		// A redelivered label event changes nothing.
		for _, d := range e.Sim.Deliveries() {
			if d.Event == "pull_request" && d.Action == "labeled" {
				e.Sim.Resend(d.ID)
			}
		}
		e.idle()
		if len(e.botSaid(kubectl, n)) != 1 || e.Sim.CountRequests("POST", "/repos/{o}/{r}/pulls/{n}/requested_reviewers") != 1 {
			t.Errorf("a resent label event repeated the task: %d comments, %d review requests",
				len(e.botSaid(kubectl, n)), e.Sim.CountRequests("POST", "/repos/{o}/{r}/pulls/{n}/requested_reviewers"))
		}

		// Someone else's review does not complete it; the mentee's does.
		e.Sim.SubmitReview("noah", kubectl, n, "COMMENTED")
		e.idle()
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "🔄 open") {
			t.Errorf("another mentee's review finished the task: %q", l)
		}
		e.Sim.SubmitReview("mia", kubectl, n, "APPROVED")
		e.idle()
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "✅ done") {
			t.Errorf("hub line after mia's review %q", l)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["mia"]).Body, ref(n)); !strings.Contains(l, "✅ done") {
			t.Errorf("mia's line after her review %q", l)
		}
	})
}

func TestTaskOnIssueDoneByClose(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		is := e.Sim.OpenIssue(contributor, kubectl, "Docs: explain --dry-run", "…")
		e.Sim.AddLabel("mentor-ben", kubectl, is.Number, "good-first-review")
		other := e.Sim.OpenIssue(contributor, kubectl, "Flaky test", "…")
		e.Sim.AddLabel("mentor-ben", kubectl, other.Number, "good-first-review")
		pr := e.labelPR("mentor-ben", "Refactor printers")
		e.idle()
		if got := e.Sim.Issue(kubectl, is.Number).Assignees; !cmp.Equal(got, []string{"olga"}) {
			t.Errorf("assignees %v, want olga (mentor-ben's paired mentee)", got)
		}
		if said := e.botSaid(kubectl, is.Number); len(said) != 1 || !strings.Contains(said[0].Body, "This issue is assigned to @olga") {
			t.Errorf("task comment %+v", said)
		}
		e.Sim.CloseIssue("someone", kubectl, is.Number, "completed")
		e.Sim.CloseIssue("someone", kubectl, other.Number, "not_planned")
		e.Sim.ClosePR("someone", kubectl, pr, true)
		e.idle()
		hub := e.Sim.Issue(repo, f.hub).Body
		for _, c := range []struct {
			n    int
			want string
		}{{is.Number, "✅ done"}, {other.Number, "🚫 cancelled"}, {pr, "✅ done"}} {
			if l := taskLine(hub, ref(c.n)); !strings.Contains(l, c.want) {
				t.Errorf("hub line of #%d %q, want %s", c.n, l, c.want)
			}
		}
	})
}

func TestTasksAreBalanced(t *testing.T) {
	start(t, func(e *env) {
		e.createCohort()
		e.taskRepo()
		var prs []int
		for i := 0; i < 12; i++ {
			prs = append(prs, e.labelPR("mentor-cy", fmt.Sprintf("Change %d", i)))
		}
		e.idle()
		count := map[string]int{}
		for _, n := range prs {
			rs := e.Sim.RequestedReviewers(kubectl, n)
			if len(rs) != 1 {
				t.Fatalf("PR #%d has reviewers %v, want one mentee", n, rs)
			}
			count[rs[0]]++
		}
		lo, hi := 99, 0
		for _, m := range allMentees {
			lo, hi = min(lo, count[m]), max(hi, count[m])
		}
		if hi-lo > 1 {
			t.Errorf("unbalanced: %v", count)
		}
	})
}

func TestTaskFallsBackToACommentWithoutAccess(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo("mia")
		n := e.labelPR("mentor-ann", "Needs a reviewer")
		e.idle()
		if got := e.Sim.RequestedReviewers(kubectl, n); len(got) != 0 {
			t.Errorf("requested %v; mia has no access and the next mentee must not be tried", got)
		}
		if c := e.Sim.CountRequests("POST", "/repos/{o}/{r}/pulls/{n}/requested_reviewers"); c != 1 {
			t.Errorf("%d review requests, want the one refused", c)
		}
		said := e.botSaid(kubectl, n)
		if len(said) != 1 || !strings.Contains(said[0].Body, "Mentoring task for @mia") ||
			!strings.Contains(said[0].Body, "Please review this pull request anyway") {
			t.Fatalf("want one fallback comment asking mia, got %+v", said)
		}
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "@mia") {
			t.Errorf("the task is not recorded for mia: %q", l)
		}
	})
}

func TestLabelFromNonMentorIsIgnored(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		pr := e.Sim.OpenPR(contributor, kubectl, "Anything", "…")
		e.idle()
		before, calls := e.writes(), len(e.Sim.Requests())
		e.Sim.AddLabel("mia", kubectl, pr.Number, "good-first-review") // a mentee is no mentor
		e.Sim.AddLabel(contributor, kubectl, pr.Number, "kind/bug")
		e.idle()
		if d := e.writes() - before; d != 0 {
			t.Errorf("%d GitHub writes for labels from non-mentors, want 0", d)
		}
		// Not even a read about the labelled PR (the scheduler may read the
		// mentoring repo's config meanwhile; that is not this event's).
		for _, r := range e.Sim.Requests()[calls:] {
			if strings.Contains(r.Path, kubectl) {
				t.Errorf("GitHub call %s %s for a label from a non-mentor", r.Method, r.Path)
			}
		}
		if len(e.botSaid(kubectl, pr.Number)) != 0 || strings.Contains(e.Sim.Issue(repo, f.hub).Body, ref(pr.Number)) {
			t.Error("a non-mentor's label made a task")
		}
		// A mentor's other labels are no task either.
		e.Sim.AddLabel("mentor-ann", kubectl, pr.Number, "kind/cleanup")
		e.idle()
		if d := e.writes() - before; d != 0 {
			t.Errorf("%d GitHub writes for a mentor's unrelated label, want 0", d)
		}
	})
}

// secondCohort creates "SIG CLI reviewers 2027" with mentor-ann (also a
// mentor of the first cohort) and two new mentees.
func (e *env) secondCohort() {
	for _, u := range []string{"uma", "vic"} {
		e.Sim.AddUser(u)
		e.Sim.SetPermission(repo, u, "read")
		e.Sim.SetPermission(kubectl, u, "read")
	}
	fields := with(validFields(), "Cohort name", "SIG CLI reviewers 2027", "Mentors", "@mentor-ann", "Mentees", "@uma\n@vic")
	e.Sim.OpenIssue(organizer, repo, "Another cohort", form(fields), "cohort/request")
	e.idle()
	if n := len(e.issuesWithLabel("cohort/hub")); n != 2 {
		e.t.Fatalf("%d hubs, want 2", n)
	}
}

func TestMentorInTwoCohortsIsAskedOnce(t *testing.T) {
	start(t, func(e *env) {
		e.createCohort()
		e.taskRepo()
		e.secondCohort()
		n := e.labelPR("mentor-ann", "Which cohort?")
		e.idle()
		said := e.botSaid(kubectl, n)
		if len(said) != 1 || !strings.Contains(said[0].Body, "/task-cohort sig-apps-reviewers-2027") ||
			!strings.Contains(said[0].Body, "/task-cohort sig-cli-reviewers-2027") {
			t.Fatalf("want one question naming both cohorts, got %+v", said)
		}
		if got := e.Sim.RequestedReviewers(kubectl, n); len(got) != 0 {
			t.Errorf("requested %v before the mentor answered", got)
		}
		e.Sim.Comment("mentor-ann", kubectl, n, "/task-cohort sig-nope")
		e.idle()
		if got := e.Sim.RequestedReviewers(kubectl, n); len(got) != 0 {
			t.Errorf("a wrong slug assigned the task to %v", got)
		}
		answer := e.Sim.Comment("mentor-ann", kubectl, n, "Thanks!\n/task-cohort sig-cli-reviewers-2027")
		e.idle()
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"uma"}) {
			t.Errorf("requested %v, want uma of the SIG CLI cohort", got)
		}
		task := e.Sim.CommentByID(said[0].ID)
		if task == nil || !strings.Contains(task.Body, "Mentoring task for @uma — cohort SIG CLI reviewers 2027, mentor @mentor-ann") {
			t.Errorf("the question was not edited into the task comment: %+v", task)
		}
		if got := reactions(e.Sim.CommentByID(answer.ID)); !has(got, "+1") {
			t.Errorf("reactions on the answer %v, want 👍", got)
		}
		var taskComments int
		for _, c := range e.botSaid(kubectl, n) {
			if strings.Contains(c.Body, "cohortbot:task") {
				taskComments++
			}
		}
		if taskComments != 1 {
			t.Errorf("%d task comments, want 1", taskComments)
		}
	})
}

func TestReassignAndPass(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		n := e.labelPR("mentor-ann", "Hand me around")
		e.idle()
		first := e.botSaid(kubectl, n)[0].ID
		e.Sim.Comment("mia", kubectl, n, "/pass")
		e.idle()
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"noah"}) {
			t.Errorf("after /pass requested %v, want noah only", got)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["mia"]).Body, ref(n)); l != "" {
			t.Errorf("mia's board still lists the task: %q", l)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["noah"]).Body, ref(n)); !strings.Contains(l, "🔄 open") {
			t.Errorf("noah's board line %q", l)
		}
		refused := e.Sim.Comment("pete", kubectl, n, "/reassign @pete")
		e.Sim.Comment("mia", kubectl, n, "/pass")
		e.idle()
		if got := reactions(e.Sim.CommentByID(refused.ID)); !has(got, "confused") {
			t.Errorf("a mentee's /reassign got %v, want 😕", got)
		}
		e.Sim.Comment("mentor-ann", kubectl, n, "/reassign @olga")
		e.idle()
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"olga"}) {
			t.Errorf("after /reassign requested %v, want olga only", got)
		}
		task := e.Sim.CommentByID(first)
		if !strings.Contains(task.Body, "Mentoring task for @olga") {
			t.Errorf("task comment not edited to olga: %q", task.Body)
		}
		var taskComments, replies int
		for _, c := range e.botSaid(kubectl, n) {
			switch {
			case strings.Contains(c.Body, "cohortbot:task"):
				taskComments++
			case strings.HasPrefix(c.Body, "@pete:") || strings.HasPrefix(c.Body, "@mia:"):
				replies++
			}
		}
		if taskComments != 1 || replies != 2 {
			t.Errorf("%d task comments and %d refusals, want 1 and 2", taskComments, replies)
		}
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "@olga") {
			t.Errorf("hub line %q", l)
		}
	})
}

func TestRemovingTheLabelCancels(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		n := e.labelPR("mentor-ann", "Never mind")
		e.idle()
		e.Sim.RemoveLabel("mentor-ann", kubectl, n, "good-first-review")
		e.idle()
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "🚫 cancelled") {
			t.Errorf("hub line after the label was removed %q", l)
		}
		// The mentee's review no longer completes it.
		e.Sim.SubmitReview("mia", kubectl, n, "COMMENTED")
		e.idle()
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "🚫 cancelled") {
			t.Errorf("hub line after a late review %q", l)
		}
		// Labelled again, it is a task again, still with one bot comment.
		e.Sim.AddLabel("mentor-ann", kubectl, n, "good-first-review")
		e.idle()
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "🔄 open") {
			t.Errorf("hub line after labelling again %q", l)
		}
		if said := e.botSaid(kubectl, n); len(said) != 1 {
			t.Errorf("%d bot comments, want 1", len(said))
		}
	})
}
