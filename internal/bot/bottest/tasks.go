package bottest

import (
	"sort"

	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// TaskRepo adds the world's second repository of the installation, where
// mentors find tasks (as kubernetes/kubectl in internal/e2e), and gives
// People read access to it; it returns its name, w.Repo+"-kubectl" (Plain
// writes it Repo+"-kubectl").
func (w *World) TaskRepo() string {
	repo := w.Repo + "-kubectl"
	w.Sim.AddRepo(Installation, repo, false)
	w.Sim.AddUser(Contributor)
	for _, u := range People {
		w.Sim.SetPermission(repo, u, "read")
	}
	return repo
}

// Contributor opens the task repository's issues and pull requests.
const Contributor = "carla"

// LabelTask has sender add label to issue or pull request number of repo
// and runs the task flow on it, as an issues or pull_request labeled
// delivery would; then it settles renders.
func (w *World) LabelTask(sender, repo string, number int, label string) {
	w.T.Helper()
	w.Sim.AddLabel(sender, repo, number, label)
	w.task(repo, number, tasks.TaskLabeled, label, sender, false)
}

// UnlabelTask has sender remove label and runs the task flow on it.
func (w *World) UnlabelTask(sender, repo string, number int, label string) {
	w.T.Helper()
	w.Sim.RemoveLabel(sender, repo, number, label)
	w.task(repo, number, tasks.TaskUnlabeled, label, sender, false)
}

// Review has who submit a review (APPROVED, COMMENTED…) of pull request
// number and runs the task flow on it.
func (w *World) Review(who, repo string, number int, state string) {
	w.T.Helper()
	w.Sim.SubmitReview(who, repo, number, state)
	w.task(repo, number, tasks.TaskReviewed, "", who, false)
}

// Push has who push commits to pull request number and runs the task flow
// on it (activity by the pusher).
func (w *World) Push(who, repo string, number int) {
	w.T.Helper()
	w.Sim.PushCommits(who, repo, number)
	w.task(repo, number, tasks.TaskPushed, "", who, false)
}

// CloseTask closes issue number of repo with reason (completed,
// not_planned) as sender and runs the task flow on it.
func (w *World) CloseTask(sender, repo string, number int, reason string) {
	w.T.Helper()
	w.Sim.CloseIssue(sender, repo, number, reason)
	w.task(repo, number, tasks.TaskClosed, "", sender, reason == "completed")
}

// ClosePR closes pull request number of repo as sender, merged or not,
// and runs the task flow on it.
func (w *World) ClosePR(sender, repo string, number int, merged bool) {
	w.T.Helper()
	w.Sim.ClosePR(sender, repo, number, merged)
	w.task(repo, number, tasks.TaskClosed, "", sender, merged)
}

func (w *World) task(repo string, number int, action, label, sender string, completed bool) {
	w.T.Helper()
	is := w.Sim.Issue(repo, number)
	if is.IsPR {
		completed = is.Merged
	}
	err := tasks.HandleTaskEvent(w.Ctx, w.Env, w.GitHub, w.Config, tasks.TaskEvent{
		Installation: Installation, Repo: repo, Number: number, PR: is.IsPR, Title: is.Title, URL: is.HTMLURL,
		Action: action, Label: label, Sender: sender, Completed: completed, At: w.Clock.Now(),
	})
	if err != nil {
		w.T.Fatalf("task flow on %s#%d (%s): %v", repo, number, action, err)
	}
	w.Settle()
}

// CommentIn is Comment on issue or pull request number of repo, any
// repository of the installation (a task's /pass, /reassign); first it
// records the comment as activity on a task, as the issue_comment handler
// does.
func (w *World) CommentIn(author, repo string, number int, body string) *ghsim.Comment {
	w.T.Helper()
	c, err := w.TryCommentIn(author, repo, number, body)
	if err != nil {
		w.T.Fatalf("comment flow on %s#%d: %v", repo, number, err)
	}
	return c
}

// TryCommentIn is CommentIn for a comment whose flow may fail (a fault the
// test injected): it returns the flow's error, as the delivery's job would
// see it before River tries again, instead of failing the test.
func (w *World) TryCommentIn(author, repo string, number int, body string) (*ghsim.Comment, error) {
	w.T.Helper()
	c := w.Sim.CommentAt(author, repo, number, body, w.Clock.Now())
	if err := tasks.RecordTaskActivity(w.Ctx, w.Env, repo, number, author, c.CreatedAt); err != nil {
		w.T.Fatalf("record activity on %s#%d: %v", repo, number, err)
	}
	err := w.commentFlow("created", c)
	w.Settle()
	return w.Sim.CommentByID(c.ID), err
}

// BotCommentsIn is BotComments on issue or pull request number of repo.
func (w *World) BotCommentsIn(repo string, number int) []string {
	out := []string{}
	for _, c := range w.Sim.Comments(repo, number) {
		if c.User == w.Sim.BotLogin() {
			out = append(out, w.Plain(c.Body))
		}
	}
	return out
}

// IssuesIn is Issues of another repository of the installation.
func (w *World) IssuesIn(repo string) []IssueView {
	var out []IssueView
	for _, is := range w.Sim.Issues(repo) {
		out = append(out, view(is))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}
