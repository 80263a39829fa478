package inproc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// Direct implements the flows' GitHub interfaces directly on the sim's
// state (ghsim.App) for the calls every flow makes — comments, reactions,
// issues, labels, permissions — and through the production client over the
// in-process transport (Client) for the rest (tasks, assignees, sub-issues,
// search, teams), embedded. Refusals are *github.ErrorResponse values with
// the route's method and path, so gh.IsNotFound, gh.IsUnprocessable and
// gh.Refusal read them as they read GitHub's.
type Direct struct {
	*gh.Client
	app    *ghsim.App
	labels sync.Map // labels known to exist, as gh.Client remembers them
}

// NewDirect returns installation's direct access to sim, and go-github's
// client (for the config loader and the calls Direct does not override).
func NewDirect(sim *ghsim.Sim, installation int64) (*Direct, *github.Client, error) {
	c, raw, err := Client(sim, installation)
	if err != nil {
		return nil, nil, err
	}
	return &Direct{Client: c, app: sim.App(installation)}, raw, nil
}

// refusal turns the sim's *ghsim.APIError into go-github's error.
func refusal(err error) error {
	var ae *ghsim.APIError
	if !errors.As(err, &ae) {
		return err
	}
	req := &http.Request{Method: ae.Method, URL: &url.URL{Path: ae.Path}}
	er := &github.ErrorResponse{Response: &http.Response{StatusCode: ae.Status, Request: req}, Message: ae.Message}
	for _, f := range ae.Errors {
		er.Errors = append(er.Errors, github.Error{Resource: f.Resource, Field: f.Field, Code: f.Code, Message: f.Message})
	}
	return er
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, refusal(err))...)
}

func toIssue(is *ghsim.Issue) gh.Issue {
	if is == nil {
		return gh.Issue{}
	}
	return gh.Issue{Number: is.Number, ID: is.ID, Title: is.Title, Body: is.Body, State: is.State,
		Labels: append([]string{}, is.Labels...), UpdatedAt: is.UpdatedAt, Locked: is.Locked}
}

// Permission returns user's permission on repo as gh.Client reads it:
// admin, maintain, write, triage, read or none (maintain and triage from
// the role name, which GitHub's legacy permission field folds into write
// and read).
func (d *Direct) Permission(_ context.Context, repo, user string) (string, error) {
	perm, role, err := d.app.Permission(repo, user)
	if gh.IsNotFound(refusal(err)) {
		return "none", nil
	}
	if err != nil {
		return "", wrap(err, "get permission of %s on %s", user, repo)
	}
	if role == "maintain" || role == "triage" {
		return role, nil
	}
	return perm, nil
}

// CreateComment comments on an issue.
func (d *Direct) CreateComment(_ context.Context, repo string, number int, body string) (int64, error) {
	id, err := d.app.CreateComment(repo, number, body)
	return id, wrap(err, "comment on %s#%d", repo, number)
}

// EditComment replaces a comment's body.
func (d *Direct) EditComment(_ context.Context, repo string, id int64, body string) error {
	return wrap(d.app.EditComment(repo, id, body), "edit comment %d in %s", id, repo)
}

// ListComments returns every comment on an issue.
func (d *Direct) ListComments(_ context.Context, repo string, number int) ([]gh.Comment, error) {
	cs, err := d.app.Comments(repo, number)
	if err != nil {
		return nil, wrap(err, "list comments of %s#%d", repo, number)
	}
	out := make([]gh.Comment, 0, len(cs))
	for _, c := range cs {
		out = append(out, gh.Comment{ID: c.ID, Body: c.Body, User: c.User})
	}
	return out, nil
}

// React adds a reaction to a comment.
func (d *Direct) React(_ context.Context, repo string, commentID int64, content string) (int64, error) {
	id, err := d.app.React(repo, commentID, content)
	return id, wrap(err, "react %s to comment %d in %s", content, commentID, repo)
}

// Unreact removes a reaction; one already gone is no error.
func (d *Direct) Unreact(_ context.Context, repo string, commentID, reactionID int64) error {
	err := d.app.Unreact(repo, commentID, reactionID)
	if gh.IsNotFound(refusal(err)) {
		return nil
	}
	return wrap(err, "remove reaction %d from comment %d in %s", reactionID, commentID, repo)
}

// GetIssue reads one issue.
func (d *Direct) GetIssue(_ context.Context, repo string, number int) (gh.Issue, error) {
	is, err := d.app.GetIssue(repo, number)
	return toIssue(is), wrap(err, "get %s#%d", repo, number)
}

// CreateIssue opens an issue; more than ten assignees are dropped first,
// as gh.Client does.
func (d *Direct) CreateIssue(_ context.Context, repo string, ni gh.NewIssue) (gh.Issue, error) {
	if len(ni.Assignees) > 10 {
		ni.Assignees = ni.Assignees[:10]
	}
	is, err := d.app.CreateIssue(repo, ghsim.NewIssue{Title: ni.Title, Body: ni.Body, Labels: ni.Labels, Assignees: ni.Assignees})
	if err != nil {
		return gh.Issue{}, wrap(err, "create issue %q in %s", ni.Title, repo)
	}
	return toIssue(is), nil
}

// SetIssueBody replaces an issue's body.
func (d *Direct) SetIssueBody(_ context.Context, repo string, number int, body string) error {
	return wrap(d.app.EditIssue(repo, number, ghsim.IssueEdit{Body: &body}), "edit body of %s#%d", repo, number)
}

// SetIssueTitle renames an issue.
func (d *Direct) SetIssueTitle(_ context.Context, repo string, number int, title string) error {
	return wrap(d.app.EditIssue(repo, number, ghsim.IssueEdit{Title: &title}), "retitle %s#%d", repo, number)
}

// CloseIssue closes an issue with a reason.
func (d *Direct) CloseIssue(_ context.Context, repo string, number int, reason string) error {
	state := "closed"
	return wrap(d.app.EditIssue(repo, number, ghsim.IssueEdit{State: &state, StateReason: &reason}), "close %s#%d", repo, number)
}

// ReopenIssue reopens a closed issue.
func (d *Direct) ReopenIssue(_ context.Context, repo string, number int) error {
	state, reason := "open", "reopened"
	return wrap(d.app.EditIssue(repo, number, ghsim.IssueEdit{State: &state, StateReason: &reason}), "reopen %s#%d", repo, number)
}

// EnsureLabels creates the labels missing from repo, each asked once per
// client; "already exists" is success.
func (d *Direct) EnsureLabels(_ context.Context, repo string, labels ...gh.LabelSpec) error {
	for _, l := range labels {
		key := strings.ToLower(repo + "\x00" + l.Name)
		if _, ok := d.labels.Load(key); ok {
			continue
		}
		err := d.app.CreateLabel(repo, l.Name, l.Color, l.Description)
		var ae *ghsim.APIError
		if errors.As(err, &ae) && ae.Status == http.StatusUnprocessableEntity && len(ae.Errors) > 0 && ae.Errors[0].Code == "already_exists" {
			err = nil
		}
		if err != nil {
			return wrap(err, "ensure label %s in %s", l.Name, repo)
		}
		d.labels.Store(key, true)
	}
	return nil
}

// AddLabels adds labels to an issue.
func (d *Direct) AddLabels(_ context.Context, repo string, number int, labels ...string) error {
	return wrap(d.app.AddLabels(repo, number, labels...), "label %s#%d with %v", repo, number, labels)
}

// RemoveLabel removes a label; one that is not there is no error.
func (d *Direct) RemoveLabel(_ context.Context, repo string, number int, label string) error {
	err := d.app.RemoveLabel(repo, number, label)
	if gh.IsNotFound(refusal(err)) {
		return nil
	}
	return wrap(err, "remove label %s from %s#%d", label, repo, number)
}
