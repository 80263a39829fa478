package bottest

import (
	"context"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/request"
	"github.com/cohortbot/cohortbot/internal/bot/schedule"

	"github.com/cohortbot/cohortbot/internal/bot"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// Form renders an issue body as GitHub renders a submission of the
// new-cohort issue form.
func Form(fields map[string]string) string { return cohort.SubmissionOf(cohort.FormFields, fields) }

// ValidFields is a valid request (the one of internal/e2e): three mentors,
// eight mentees, weeks from Monday 2027-01-11 to 2027-03-21, UTC.
func ValidFields() map[string]string {
	return map[string]string{
		"Cohort name":   "SIG Apps reviewers 2027",
		"Ladder step":   "Reviewer",
		"SIGs or areas": "SIG Apps, SIG CLI",
		"Mentors":       "@mentor-ann\n@mentor-ben\n@mentor-cy",
		"Mentees":       "@mia -> @mentor-ann\n@noah -> @mentor-ann\n@olga -> @mentor-ben\n@pete\n@quinn\n@rosa\n@sam\n@tess",
		"Start date":    "2027-01-11",
		"End date":      "2027-03-21",
		"Check-in day":  "Monday",
		"Time zone":     "UTC",
		"Chat channel":  "#cohort-sig-apps-2027",
		"Notes":         "Weekly standup in Slack.\n\n### Not a field\n- [ ] bring snacks",
	}
}

// With returns a copy of f with the pairs kv set (an empty value clears a
// field as a blank answer would).
func With(f map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range f {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// Request opens an issue as author with labels and runs the request flow
// on it, as an issues.opened delivery would; then it settles renders.
func (w *World) Request(author, title, body string, labels ...string) *ghsim.Issue {
	w.T.Helper()
	is := w.Sim.OpenIssue(author, w.Repo, title, body, labels...)
	w.Rerequest(author, is.Number)
	return w.Sim.Issue(w.Repo, is.Number)
}

// Rerequest runs the request flow on issue number as it is now, with
// sender as the event's sender (an edit, a label, a redelivery).
func (w *World) Rerequest(sender string, number int) {
	w.T.Helper()
	is := w.Sim.Issue(w.Repo, number)
	err := request.HandleRequest(w.Ctx, w.Env, w.GitHub, w.Config, request.RequestEvent{
		Installation: Installation, Repo: w.Repo, IssueID: is.ID, Number: is.Number, Body: is.Body,
		Labels: is.Labels, State: is.State, Sender: sender, URL: is.HTMLURL,
	})
	if err != nil {
		w.T.Fatalf("request flow on #%d: %v", number, err)
	}
	w.Settle()
}

// Comment posts body as author on issue number at the clock's instant and
// runs the comment flow on it, as an issue_comment.created delivery would;
// then it settles renders.
func (w *World) Comment(author string, number int, body string) *ghsim.Comment {
	w.T.Helper()
	c := w.Sim.CommentAt(author, w.Repo, number, body, w.Clock.Now())
	w.handleComment("created", c)
	return w.Sim.CommentByID(c.ID)
}

// EditComment edits comment id as author and runs the flow on the edit.
func (w *World) EditComment(author string, id int64, body string) {
	w.T.Helper()
	w.Sim.EditComment(author, w.Repo, id, body)
	w.handleComment("edited", w.Sim.CommentByID(id))
}

func (w *World) handleComment(action string, c *ghsim.Comment) {
	w.T.Helper()
	if err := w.commentFlow(action, c); err != nil {
		w.T.Fatalf("comment flow on %s#%d (%s): %v", c.Repo, c.Issue, action, err)
	}
	w.Settle()
}

// commentFlow runs the comment flow on c as an issue_comment delivery of
// action would, in c's repository.
func (w *World) commentFlow(action string, c *ghsim.Comment) error {
	return bot.HandleComment(w.Ctx, w.Env, w.GitHub, w.Config, command.CommentEvent{
		Installation: Installation, Repo: c.Repo, Number: c.Issue, Action: action, CommentID: c.ID,
		URL: c.HTMLURL, Body: c.Body, Author: c.User, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	})
}

// At sets the clock.
func (w *World) At(t time.Time) *World {
	w.Clock.Set(t)
	return w
}

// Tick runs the scheduler as of at (the clock set to at), as the periodic
// tick job would, then settles renders.
func (w *World) Tick(at time.Time) schedule.TickReport {
	w.T.Helper()
	w.Clock.Set(at)
	rep, err := schedule.Tick(w.Ctx, w.Env, func(context.Context, int64) (kernel.TickGitHub, kernel.ConfigSource, error) {
		return w.GitHub, w.Config, nil
	}, at)
	if err != nil {
		w.T.Fatalf("tick at %s: %v", at, err)
	}
	w.Settle()
	return rep
}

// Writes counts the world's write requests (not GET) so far.
func (w *World) Writes() int {
	n := 0
	prefix := "/repos/" + w.Repo + "/"
	for _, r := range w.Sim.Requests() {
		if r.Method != "GET" && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}
