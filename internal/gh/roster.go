package gh

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"
)

// SetIssueTitle renames an issue (the hub's title carries the cohort's
// dates, which /extend changes).
func (c *Client) SetIssueTitle(ctx context.Context, repo string, number int, title string) error {
	o, r := Split(repo)
	if _, _, err := c.gh.Issues.Edit(ctx, o, r, number, &github.IssueRequest{Title: &title}); err != nil {
		return fmt.Errorf("retitle %s#%d: %w", repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Msg("retitled issue")
	return nil
}

// ReopenIssue reopens a closed issue (a mentee who rejoins a cohort gets
// their old tracking issue back).
func (c *Client) ReopenIssue(ctx context.Context, repo string, number int) error {
	o, r := Split(repo)
	state, reason := "open", "reopened"
	if _, _, err := c.gh.Issues.Edit(ctx, o, r, number, &github.IssueRequest{State: &state, StateReason: &reason}); err != nil {
		return fmt.Errorf("reopen %s#%d: %w", repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Msg("reopened issue")
	return nil
}

// AddIssueAssignees assigns users to an issue. GitHub silently skips users
// who cannot be assigned, so this fails only when the call does.
func (c *Client) AddIssueAssignees(ctx context.Context, repo string, number int, users ...string) error {
	o, r := Split(repo)
	if _, _, err := c.gh.Issues.AddAssignees(ctx, o, r, number, users); err != nil {
		return fmt.Errorf("assign %v to %s#%d: %w", users, repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Strs("users", users).Msg("assigned issue")
	return nil
}

// RemoveIssueAssignees unassigns users from an issue.
func (c *Client) RemoveIssueAssignees(ctx context.Context, repo string, number int, users ...string) error {
	o, r := Split(repo)
	if _, _, err := c.gh.Issues.RemoveAssignees(ctx, o, r, number, users); err != nil {
		return fmt.Errorf("unassign %v from %s#%d: %w", users, repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Strs("users", users).Msg("unassigned issue")
	return nil
}
