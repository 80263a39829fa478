package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"
)

// NewIssue is what CreateIssue needs.
type NewIssue struct {
	Title     string
	Body      string
	Labels    []string
	Assignees []string
}

// CreateIssue opens an issue and returns its number and id. GitHub takes at
// most 10 assignees; extra ones are dropped here rather than failing.
func (c *Client) CreateIssue(ctx context.Context, repo string, ni NewIssue) (Issue, error) {
	o, r := Split(repo)
	if len(ni.Assignees) > 10 {
		ni.Assignees = ni.Assignees[:10]
	}
	req := &github.IssueRequest{Title: &ni.Title, Body: &ni.Body}
	// Only non-empty lists are sent: a nil slice would go out as JSON null,
	// which GitHub refuses (422, "For 'properties/assignees', nil is not an
	// array"): the description's schema has no nullable there.
	if len(ni.Labels) > 0 {
		req.Labels = &ni.Labels
	}
	if len(ni.Assignees) > 0 {
		req.Assignees = &ni.Assignees
	}
	is, _, err := c.gh.Issues.Create(ctx, o, r, req)
	if err != nil {
		return Issue{}, fmt.Errorf("create issue %q in %s: %w", ni.Title, repo, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", is.GetNumber()).Msg("created issue")
	return toIssue(is), nil
}

func toIssue(is *github.Issue) Issue {
	out := Issue{Number: is.GetNumber(), ID: is.GetID(), Title: is.GetTitle(), Body: is.GetBody(), State: is.GetState(),
		Labels: []string{}, UpdatedAt: is.GetUpdatedAt().Time, Locked: is.GetLocked()}
	for _, l := range is.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	return out
}

// GetIssue reads one issue.
func (c *Client) GetIssue(ctx context.Context, repo string, number int) (Issue, error) {
	o, r := Split(repo)
	is, _, err := c.gh.Issues.Get(ctx, o, r, number)
	if err != nil {
		return Issue{}, fmt.Errorf("get %s#%d: %w", repo, number, err)
	}
	return toIssue(is), nil
}

// SetIssueBody replaces an issue's body.
func (c *Client) SetIssueBody(ctx context.Context, repo string, number int, body string) error {
	o, r := Split(repo)
	_, _, err := c.gh.Issues.Edit(ctx, o, r, number, &github.IssueRequest{Body: &body})
	if err != nil {
		return fmt.Errorf("edit body of %s#%d: %w", repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Msg("edited issue body")
	return nil
}

// CloseIssue closes an issue with a reason: completed or not_planned.
func (c *Client) CloseIssue(ctx context.Context, repo string, number int, reason string) error {
	o, r := Split(repo)
	state := "closed"
	_, _, err := c.gh.Issues.Edit(ctx, o, r, number, &github.IssueRequest{State: &state, StateReason: &reason})
	if err != nil {
		return fmt.Errorf("close %s#%d: %w", repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Str("reason", reason).Msg("closed issue")
	return nil
}

// ListIssuesWithLabel lists every issue (open and closed) carrying label.
func (c *Client) ListIssuesWithLabel(ctx context.Context, repo, label string) ([]Issue, error) {
	o, r := Split(repo)
	opt := &github.IssueListByRepoOptions{State: "all", Labels: []string{label}, ListOptions: github.ListOptions{PerPage: 100}}
	var out []Issue
	for {
		is, resp, err := c.gh.Issues.ListByRepo(ctx, o, r, opt)
		if err != nil {
			return nil, fmt.Errorf("list issues labelled %s in %s: %w", label, repo, err)
		}
		for _, i := range is {
			out = append(out, toIssue(i))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// AddSubIssue links child (by issue id) under parent. Best effort at the
// caller: GitHub instances without sub-issues answer 404.
func (c *Client) AddSubIssue(ctx context.Context, repo string, parent int, childID int64) error {
	o, r := Split(repo)
	u := fmt.Sprintf("repos/%s/%s/issues/%d/sub_issues", o, r, parent)
	req, err := c.gh.NewRequest("POST", u, map[string]int64{"sub_issue_id": childID})
	if err != nil {
		return err
	}
	if _, err := c.gh.Do(ctx, req, nil); err != nil {
		return fmt.Errorf("add sub-issue to %s#%d: %w", repo, parent, err)
	}
	return nil
}

// LabelSpec is a label the bot creates when missing.
type LabelSpec struct {
	Name        string
	Color       string
	Description string
}

// EnsureLabels creates any of labels missing from repo, with colour and
// description. Each label is checked once per process.
func (c *Client) EnsureLabels(ctx context.Context, repo string, labels ...LabelSpec) error {
	o, r := Split(repo)
	for _, l := range labels {
		key := strings.ToLower(repo + "\x00" + l.Name)
		if _, ok := c.labels.Load(key); ok {
			continue
		}
		// Create first, and take "already exists" as success: one request
		// for a label that is missing and one for a label that is there,
		// where a read first costs two for a missing one.
		name, color, desc := l.Name, l.Color, l.Description
		_, _, err := c.gh.Issues.CreateLabel(ctx, o, r, &github.Label{Name: &name, Color: &color, Description: &desc})
		switch {
		case err == nil:
			zerolog.Ctx(ctx).Info().Str("repo", repo).Str("label", l.Name).Msg("created label")
		case alreadyExists(err):
			err = nil
		}
		if err != nil {
			return fmt.Errorf("ensure label %s in %s: %w", l.Name, repo, err)
		}
		c.labels.Store(key, true)
	}
	return nil
}

// AddLabels adds labels to an issue or PR (they must exist; see EnsureLabels).
func (c *Client) AddLabels(ctx context.Context, repo string, number int, labels ...string) error {
	o, r := Split(repo)
	if _, _, err := c.gh.Issues.AddLabelsToIssue(ctx, o, r, number, labels); err != nil {
		return fmt.Errorf("label %s#%d with %v: %w", repo, number, labels, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Strs("labels", labels).Msg("added labels")
	return nil
}

// RemoveLabel removes a label; a label that is not there is no error.
func (c *Client) RemoveLabel(ctx context.Context, repo string, number int, label string) error {
	o, r := Split(repo)
	_, err := c.gh.Issues.RemoveLabelForIssue(ctx, o, r, number, label)
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("remove label %s from %s#%d: %w", label, repo, number, err)
	}
	if err == nil {
		zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Str("label", label).Msg("removed label")
	}
	return nil
}
