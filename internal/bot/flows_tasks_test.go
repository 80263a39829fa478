package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// taskLabel is the default task label (config task_label).
const taskLabel = "good-first-review"

// days is the instant n days after week1 (when the task cases hand out
// their first task).
func days(n int) time.Time { return week1.Add(time.Duration(n) * 24 * time.Hour) }

// taskSetup opens the task cases' pull request #1 in the task repository,
// labelled by mentor-ann at week1 (to mia, her first paired mentee).
func taskSetup(w *bottest.World, repo string) {
	w.At(week1)
	pr := w.Sim.OpenPR(bottest.Contributor, repo, "Fix kubectl get -o wide", "Please review.")
	w.LabelTask("mentor-ann", repo, pr.Number, taskLabel)
}

// taskCase is one case of TestFlowTasks: steps after taskSetup (or from a
// bare task repository when bare), then the task repository's issues, PR
// #1's requested reviewers and the bot's reactions to the comment the
// steps return (0: none). Bot comments on the task repository and the
// hub's task board go to testdata/flows/tasks/<name>.golden.
type taskCase struct {
	name      string
	config    string // .github/cohortbot.yml of the mentoring repository
	bare      bool   // no taskSetup
	steps     func(w *bottest.World, repo string) int64
	issues    []bottest.IssueView
	reviewers []string
	reacts    []string
}

var (
	prOpen   = []string{"good-first-review", "mentoring/task"}
	untasked = []string{"good-first-review"}
)

func pr1(labels []string) bottest.IssueView {
	return issue(1, "Fix kubectl get -o wide", "open", labels, nil)
}

func comment(author, body string) func(*bottest.World, string) int64 {
	return func(w *bottest.World, repo string) int64 { return w.CommentIn(author, repo, 1, body).ID }
}

var taskCases = []taskCase{
	{name: "pull request labelled by a mentor", issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{"mia"}},
	{name: "issue labelled by a mentor", bare: true, steps: func(w *bottest.World, repo string) int64 {
		w.At(week1)
		is := w.Sim.OpenIssue(bottest.Contributor, repo, "Docs: explain --dry-run", "…")
		w.LabelTask("mentor-ben", repo, is.Number, taskLabel)
		return 0
	}, issues: []bottest.IssueView{issue(1, "Docs: explain --dry-run", "open", prOpen, []string{"olga"})}},
	{name: "issue done by its close", bare: true, steps: func(w *bottest.World, repo string) int64 {
		w.At(week1)
		for _, title := range []string{"Docs: explain --dry-run", "Flaky test"} {
			is := w.Sim.OpenIssue(bottest.Contributor, repo, title, "…")
			w.LabelTask("mentor-ben", repo, is.Number, taskLabel)
		}
		w.CloseTask("someone", repo, 1, "completed")   // done
		w.CloseTask("someone", repo, 2, "not_planned") // cancelled
		return 0
	}, issues: []bottest.IssueView{
		{Number: 1, Title: "Docs: explain --dry-run", State: "closed", Reason: "completed", Labels: prOpen, Assignees: []string{"olga"}},
		{Number: 2, Title: "Flaky test", State: "closed", Reason: "not_planned", Labels: prOpen, Assignees: []string{"olga"}},
	}},
	{name: "labelled by a mentee", bare: true, steps: func(w *bottest.World, repo string) int64 {
		pr := w.Sim.OpenPR(bottest.Contributor, repo, "Fix kubectl get -o wide", "Please review.")
		w.LabelTask("mia", repo, pr.Number, taskLabel)
		return 0
	}, issues: []bottest.IssueView{pr1(untasked)}},
	{name: "another label by a mentor", bare: true, steps: func(w *bottest.World, repo string) int64 {
		pr := w.Sim.OpenPR(bottest.Contributor, repo, "Fix kubectl get -o wide", "Please review.")
		w.LabelTask("mentor-ann", repo, pr.Number, "kind/cleanup")
		return 0
	}, issues: []bottest.IssueView{pr1([]string{"kind/cleanup"})}},
	{name: "label redelivered", steps: func(w *bottest.World, repo string) int64 {
		w.LabelTask("mentor-ann", repo, 1, taskLabel)
		return 0
	}, issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{"mia"}},
	{name: "pass by the mentee", steps: comment("mia", "/pass"), issues: []bottest.IssueView{pr1(prOpen)},
		reviewers: []string{"noah"}, reacts: []string{"+1"}},
	{name: "pass by another mentee", steps: comment("noah", "/pass"), issues: []bottest.IssueView{pr1(prOpen)},
		reviewers: []string{"mia"}, reacts: []string{"confused"}},
	{name: "reassign by a mentor", steps: comment("mentor-ann", "/reassign @olga"), issues: []bottest.IssueView{pr1(prOpen)},
		reviewers: []string{"olga"}, reacts: []string{"+1"}},
	{name: "reassign by a mentee", steps: comment("pete", "/reassign @pete"), issues: []bottest.IssueView{pr1(prOpen)},
		reviewers: []string{"mia"}, reacts: []string{"confused"}},
	{name: "reassign to the author", bare: true, steps: func(w *bottest.World, repo string) int64 {
		w.At(week1)
		pr := w.Sim.OpenPR("noah", repo, "Fix kubectl get -o wide", "Please review.") // a mentee's own PR
		w.LabelTask("mentor-ann", repo, pr.Number, taskLabel)
		return w.CommentIn("mentor-ann", repo, 1, "/reassign @noah").ID
	}, issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{"mia"}, reacts: []string{"confused"}},
	{name: "reassign to a stranger", steps: comment("mentor-ann", "/reassign @carla"), issues: []bottest.IssueView{pr1(prOpen)},
		reviewers: []string{"mia"}, reacts: []string{"confused"}},
	// Unnamed, the task goes to the next mentee as a /pass would send it.
	{name: "reassign without a mentee", steps: comment("mentor-ann", "/reassign"), issues: []bottest.IssueView{pr1(prOpen)},
		reviewers: []string{"noah"}, reacts: []string{"+1"}},
	// A task that is over cannot be handed on: the reply says why.
	{name: "pass a done task", steps: func(w *bottest.World, repo string) int64 {
		w.Review("mia", repo, 1, "APPROVED")
		return w.CommentIn("mia", repo, 1, "/pass").ID
	}, issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{}, reacts: []string{"confused"}},
	{name: "reassign a cancelled task", steps: func(w *bottest.World, repo string) int64 {
		w.UnlabelTask("mentor-ann", repo, 1, taskLabel)
		return w.CommentIn("mentor-ann", repo, 1, "/reassign @olga").ID
	}, issues: []bottest.IssueView{pr1([]string{"mentoring/task"})}, reviewers: []string{"mia"}, reacts: []string{"confused"}},
	{name: "reassign an issue to its author", bare: true, steps: func(w *bottest.World, repo string) int64 {
		w.At(week1)
		is := w.Sim.OpenIssue("noah", repo, "Docs: explain --dry-run", "…") // a mentee's own issue
		w.LabelTask("mentor-ann", repo, is.Number, taskLabel)
		return w.CommentIn("mentor-ann", repo, 1, "/reassign @noah").ID
	}, issues: []bottest.IssueView{issue(1, "Docs: explain --dry-run", "open", prOpen, []string{"mia"})}, reacts: []string{"confused"}},
	{name: "done by the mentee's review", steps: func(w *bottest.World, repo string) int64 {
		w.Review("noah", repo, 1, "COMMENTED") // not hers: still open
		w.Review("mia", repo, 1, "APPROVED")
		return 0
	}, issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{}},
	{name: "done by the merge", steps: func(w *bottest.World, repo string) int64 {
		w.ClosePR("mentor-cy", repo, 1, true)
		return 0
	}, issues: []bottest.IssueView{{Number: 1, Title: "Fix kubectl get -o wide", State: "closed", Labels: prOpen, Assignees: []string{}}},
		reviewers: []string{"mia"}},
	{name: "cancelled by a close unmerged", steps: func(w *bottest.World, repo string) int64 {
		w.ClosePR("mentor-cy", repo, 1, false)
		return 0
	}, issues: []bottest.IssueView{{Number: 1, Title: "Fix kubectl get -o wide", State: "closed", Labels: prOpen, Assignees: []string{}}},
		reviewers: []string{"mia"}},
	{name: "label removed cancels", steps: func(w *bottest.World, repo string) int64 {
		w.UnlabelTask("mentor-ann", repo, 1, taskLabel)
		w.Review("mia", repo, 1, "APPROVED") // too late: stays cancelled
		return 0
	}, issues: []bottest.IssueView{pr1([]string{"mentoring/task"})}, reviewers: []string{}},
	{name: "stalled reminded then released", steps: func(w *bottest.World, repo string) int64 {
		w.Tick(days(6)) // not yet
		w.Tick(days(7)) // reminded
		w.Tick(days(8)) // not twice
		w.Tick(days(14))
		w.Tick(days(14)) // released once
		return 0
	}, issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{"noah"}},
	{name: "stalled with shorter delays", config: "tasks:\n  remind_after_days: 1\n  release_after_days: 2\n",
		steps: func(w *bottest.World, repo string) int64 {
			w.At(days(1).Add(-time.Hour))
			w.CommentIn("mia", repo, 1, "Looking at it tomorrow.") // activity restarts the clock
			w.Tick(days(1))                                        // a day after the label, not after mia's comment: quiet
			w.Tick(days(2))                                        // mia reminded (round 1)
			w.At(days(2).Add(time.Hour))
			w.Push("mia", repo, 1)                // the clock restarts again
			w.Tick(days(3).Add(30 * time.Minute)) // quiet
			w.Tick(days(3).Add(2 * time.Hour))    // mia reminded again (a new stall)
			w.Tick(days(4).Add(2 * time.Hour))    // released to noah
			w.Tick(days(5).Add(2 * time.Hour))    // noah reminded (round 2)
			return 0
		}, issues: []bottest.IssueView{pr1(prOpen)}, reviewers: []string{"noah"}},
	{name: "at the cap", config: "tasks:\n  max_open_per_mentee: 1\n", steps: func(w *bottest.World, repo string) int64 {
		for i := 2; i <= 9; i++ { // 8 mentees, one task each; the ninth finds all full
			pr := w.Sim.OpenPR(bottest.Contributor, repo, fmt.Sprintf("Change %d", i), "…")
			w.LabelTask("mentor-ann", repo, pr.Number, taskLabel)
		}
		return w.CommentIn("mia", repo, 1, "/pass").ID
	}, issues: capIssues(), reviewers: []string{"mia"}, reacts: []string{"confused"}},
}

// capIssues are the task repository of "at the cap": PRs 1–8 tasks, 9 not.
func capIssues() []bottest.IssueView {
	out := []bottest.IssueView{pr1(prOpen)}
	for i := 2; i <= 9; i++ {
		labels := prOpen
		if i == 9 {
			labels = untasked
		}
		out = append(out, issue(i, fmt.Sprintf("Change %d", i), "open", labels, nil))
	}
	return out
}

// TestFlowTasks runs the task flow (SPEC §4, §13) case by case on a fresh
// cohort with a task repository: a task label by a mentor hands the issue
// or pull request to a mentee (assignment or review request, one comment,
// the boards), /pass and /reassign hand it on, refusals say why and change
// nothing.
func TestFlowTasks(t *testing.T) {
	for _, tc := range taskCases {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.Sim.AddUser("randy")
			if tc.config != "" {
				w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", tc.config)
			}
			repo := w.TaskRepo()
			if !tc.bare {
				taskSetup(w, repo)
			}
			var id int64
			if tc.steps != nil {
				id = tc.steps(w, repo)
			}
			diff(t, "task repository's issues", tc.issues, w.IssuesIn(repo))
			if tc.reviewers != nil {
				diff(t, "requested reviewers of #1", tc.reviewers, append([]string{}, w.Sim.RequestedReviewers(repo, 1)...))
			}
			if id != 0 {
				diff(t, "reactions", tc.reacts, w.Reactions(id))
			}
			w.Golden(goldenName("flows/tasks", tc.name), taskState(w, repo), goldenUpdate())
		})
	}
}

// taskState is the bot's comments on the task repository's issues and the
// hub's task board, for a golden file.
func taskState(w *bottest.World, repo string) string {
	var b strings.Builder
	for _, is := range w.IssuesIn(repo) {
		for i, c := range w.BotCommentsIn(repo, is.Number) {
			fmt.Fprintf(&b, "=== bot comment %d on #%d\n%s\n", i+1, is.Number, c)
		}
	}
	fmt.Fprintf(&b, "=== hub task board\n%s\n", region(w.Plain(w.Sim.Issue(w.Repo, hubIssue).Body), "tasks"))
	return b.String()
}

// region is the named generated region of an issue body.
func region(body, name string) string {
	begin, end := "<!-- cohortbot:begin "+name+" -->", "<!-- cohortbot:end "+name+" -->"
	i, j := strings.Index(body, begin), strings.Index(body, end)
	if i < 0 || j < i {
		return ""
	}
	return body[i+len(begin) : j]
}
