// Package gh adapts go-github's client to the few narrow operations the
// cohort flows declare. Every method takes a repository as "owner/name".
package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"
)

// Client is one installation's GitHub access.
type Client struct {
	gh *github.Client
	// labels remembers labels known to exist per repo, so EnsureLabels asks
	// GitHub once per label per process.
	labels *sync.Map
}

// New wraps an installation client. known is shared across clients of one
// process (may be nil).
func New(c *github.Client, known *sync.Map) *Client {
	if known == nil {
		known = &sync.Map{}
	}
	return &Client{gh: c, labels: known}
}

// Split splits "owner/name".
func Split(repo string) (string, string) {
	owner, name, _ := strings.Cut(repo, "/")
	return owner, name
}

// IsNotFound reports a 404 from GitHub.
func IsNotFound(err error) bool { return status(err) == http.StatusNotFound }

// IsGone reports a 410 from GitHub (e.g. a deleted issue).
func IsGone(err error) bool { return status(err) == http.StatusGone }

// IsUnprocessable reports a 422 from GitHub (validation failed).
func IsUnprocessable(err error) bool { return status(err) == http.StatusUnprocessableEntity }

func status(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// Issue is the part of an issue the flows read.
type Issue struct {
	Number int
	ID     int64
	Title  string
	Body   string
	State  string
	// Labels are the label names on the issue; UpdatedAt is GitHub's
	// updated_at (to the second).
	Labels    []string
	UpdatedAt time.Time
	// Locked: the conversation is locked.
	Locked bool
}

// Comment is the part of a comment the flows read.
type Comment struct {
	ID   int64
	Body string
	User string
}

// Permission returns user's permission on repo: admin, maintain, write,
// triage, read or none.
func (c *Client) Permission(ctx context.Context, repo, user string) (string, error) {
	o, r := Split(repo)
	p, _, err := c.gh.Repositories.GetPermissionLevel(ctx, o, r, user)
	if IsNotFound(err) {
		return "none", nil
	}
	if err != nil {
		return "", fmt.Errorf("get permission of %s on %s: %w", user, repo, err)
	}
	if rn := p.GetUser().GetRoleName(); rn == "maintain" || rn == "triage" {
		return rn, nil
	}
	return p.GetPermission(), nil
}

// IsTeamMember reports whether user is an active member of org/team.
func (c *Client) IsTeamMember(ctx context.Context, org, team, user string) (bool, error) {
	m, _, err := c.gh.Teams.GetTeamMembershipBySlug(ctx, org, team, user)
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("get membership of %s in %s/%s: %w", user, org, team, err)
	}
	return m.GetState() == "active", nil
}

// CreateComment comments on an issue or PR and returns the comment id.
func (c *Client) CreateComment(ctx context.Context, repo string, number int, body string) (int64, error) {
	o, r := Split(repo)
	cm, _, err := c.gh.Issues.CreateComment(ctx, o, r, number, &github.IssueComment{Body: &body})
	if err != nil {
		return 0, fmt.Errorf("comment on %s#%d: %w", repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Int64("comment", cm.GetID()).Msg("created comment")
	return cm.GetID(), nil
}

// EditComment replaces a comment's body.
func (c *Client) EditComment(ctx context.Context, repo string, id int64, body string) error {
	o, r := Split(repo)
	_, _, err := c.gh.Issues.EditComment(ctx, o, r, id, &github.IssueComment{Body: &body})
	if err != nil {
		return fmt.Errorf("edit comment %d in %s: %w", id, repo, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int64("comment", id).Msg("edited comment")
	return nil
}

// ListComments returns every comment on an issue, following pagination.
func (c *Client) ListComments(ctx context.Context, repo string, number int) ([]Comment, error) {
	o, r := Split(repo)
	opt := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	var out []Comment
	for {
		cs, resp, err := c.gh.Issues.ListComments(ctx, o, r, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list comments of %s#%d: %w", repo, number, err)
		}
		for _, cm := range cs {
			out = append(out, Comment{ID: cm.GetID(), Body: cm.GetBody(), User: cm.GetUser().GetLogin()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// React adds a reaction (+1, confused, …) to a comment.
func (c *Client) React(ctx context.Context, repo string, commentID int64, content string) (int64, error) {
	o, r := Split(repo)
	re, _, err := c.gh.Reactions.CreateIssueCommentReaction(ctx, o, r, commentID, content)
	if err != nil {
		return 0, fmt.Errorf("react %s to comment %d in %s: %w", content, commentID, repo, err)
	}
	return re.GetID(), nil
}

// Unreact removes one of the bot's reactions from a comment; a reaction
// already gone is no error.
func (c *Client) Unreact(ctx context.Context, repo string, commentID, reactionID int64) error {
	o, r := Split(repo)
	_, err := c.gh.Reactions.DeleteIssueCommentReaction(ctx, o, r, commentID, reactionID)
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("remove reaction %d from comment %d in %s: %w", reactionID, commentID, repo, err)
	}
	return nil
}

// alreadyExists reports GitHub's 422 for creating something that exists
// (error code already_exists), and nothing else: a label refused for a bad
// colour or name must surface.
func alreadyExists(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || !IsUnprocessable(err) {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == "already_exists" {
			return true
		}
	}
	return false
}
