package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"
)

// TaskPeople are the people already involved in an issue or pull request,
// whom a mentoring task must not go to.
type TaskPeople struct {
	Author    string
	Assignees []string
	// Requested are the users asked to review (pull requests).
	Requested []string
	// Reviewed are the users who submitted a review (pull requests).
	Reviewed []string
}

// TaskPeople reads who authored, is assigned to, is requested on or has
// reviewed issue or pull request number.
func (c *Client) TaskPeople(ctx context.Context, repo string, number int, pr bool) (TaskPeople, error) {
	o, r := Split(repo)
	if !pr {
		is, _, err := c.gh.Issues.Get(ctx, o, r, number)
		if err != nil {
			return TaskPeople{}, fmt.Errorf("get %s#%d: %w", repo, number, err)
		}
		return TaskPeople{Author: is.GetUser().GetLogin(), Assignees: logins(is.Assignees)}, nil
	}
	p, _, err := c.gh.PullRequests.Get(ctx, o, r, number)
	if err != nil {
		return TaskPeople{}, fmt.Errorf("get pull request %s#%d: %w", repo, number, err)
	}
	out := TaskPeople{Author: p.GetUser().GetLogin(), Assignees: logins(p.Assignees), Requested: logins(p.RequestedReviewers)}
	opt := &github.ListOptions{PerPage: 100}
	for {
		rvs, resp, err := c.gh.PullRequests.ListReviews(ctx, o, r, number, opt)
		if err != nil {
			return TaskPeople{}, fmt.Errorf("list reviews of %s#%d: %w", repo, number, err)
		}
		for _, rv := range rvs {
			out.Reviewed = append(out.Reviewed, rv.GetUser().GetLogin())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

func logins(us []*github.User) []string {
	out := make([]string, 0, len(us))
	for _, u := range us {
		out = append(out, u.GetLogin())
	}
	return out
}

// RequestReview asks user to review a pull request. GitHub answers 422 when
// the user cannot be asked (no access to the repository, or the author);
// IsUnprocessable tells that apart from a failure worth retrying.
func (c *Client) RequestReview(ctx context.Context, repo string, number int, user string) error {
	o, r := Split(repo)
	_, _, err := c.gh.PullRequests.RequestReviewers(ctx, o, r, number, github.ReviewersRequest{Reviewers: []string{user}})
	if err != nil {
		return fmt.Errorf("request review of %s on %s#%d: %w", user, repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("pull", number).Str("reviewer", user).Msg("requested review")
	return nil
}

// RemoveReviewRequest withdraws a review request; one already gone is no
// error.
func (c *Client) RemoveReviewRequest(ctx context.Context, repo string, number int, user string) error {
	o, r := Split(repo)
	_, err := c.gh.PullRequests.RemoveReviewers(ctx, o, r, number, github.ReviewersRequest{Reviewers: []string{user}})
	if err != nil && !IsNotFound(err) && !IsUnprocessable(err) {
		return fmt.Errorf("remove review request of %s on %s#%d: %w", user, repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("pull", number).Str("reviewer", user).Msg("removed review request")
	return nil
}

// AddAssignee assigns user to an issue and reports whether GitHub did: it
// silently leaves out users who may not be assigned (no access) and
// anyone beyond the tenth assignee, so the answer is read, not assumed.
func (c *Client) AddAssignee(ctx context.Context, repo string, number int, user string) (bool, error) {
	o, r := Split(repo)
	is, _, err := c.gh.Issues.AddAssignees(ctx, o, r, number, []string{user})
	if IsUnprocessable(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("assign %s to %s#%d: %w", user, repo, number, err)
	}
	for _, a := range is.Assignees {
		if strings.EqualFold(a.GetLogin(), user) {
			zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Str("assignee", user).Msg("assigned")
			return true, nil
		}
	}
	return false, nil
}

// RemoveAssignee unassigns user; someone not assigned is no error.
func (c *Client) RemoveAssignee(ctx context.Context, repo string, number int, user string) error {
	o, r := Split(repo)
	_, _, err := c.gh.Issues.RemoveAssignees(ctx, o, r, number, []string{user})
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("unassign %s from %s#%d: %w", user, repo, number, err)
	}
	zerolog.Ctx(ctx).Info().Str("repo", repo).Int("issue", number).Str("assignee", user).Msg("unassigned")
	return nil
}
