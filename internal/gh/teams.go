package gh

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"
)

// TeamVisible reports whether the App can see org/team at all. GitHub
// answers a membership query with 404 both for "not a member" and for a team
// the App cannot see (no such team, or the App lacks the organization's
// members:read permission); listing one member of the team tells the two
// apart.
func (c *Client) TeamVisible(ctx context.Context, org, team string) (bool, error) {
	_, _, err := c.gh.Teams.ListTeamMembersBySlug(ctx, org, team, &github.TeamListTeamMembersOptions{ListOptions: github.ListOptions{PerPage: 1}})
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up team %s/%s: %w", org, team, err)
	}
	return true, nil
}
