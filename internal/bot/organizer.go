package bot

import (
	"context"
	"strings"

	"github.com/cohortbot/cohortbot/config"
)

// IsOrganizer applies SPEC §1: a user in the config's organizers list
// (handles or org/team slugs), or, when that list is empty, anyone with
// write, maintain or admin permission on the mentoring repository.
func IsOrganizer(ctx context.Context, p Permissions, cfg config.Repo, repo, user string) (bool, error) {
	if len(cfg.Organizers) == 0 {
		perm, err := p.Permission(ctx, repo, user)
		if err != nil {
			return false, err
		}
		switch perm {
		case "write", "maintain", "admin":
			return true, nil
		}
		return false, nil
	}
	for _, o := range cfg.Organizers {
		if org, team, ok := strings.Cut(o, "/"); ok {
			member, err := p.IsTeamMember(ctx, org, team, user)
			if err != nil {
				return false, err
			}
			if member {
				return true, nil
			}
			continue
		}
		if strings.EqualFold(strings.TrimPrefix(o, "@"), user) {
			return true, nil
		}
	}
	return false, nil
}

// organizerRule says in words who may organize, for refusals.
func organizerRule(cfg config.Repo) string {
	if len(cfg.Organizers) == 0 {
		return "only organizers (people with write access to this repository) may"
	}
	names := make([]string, len(cfg.Organizers))
	for i, o := range cfg.Organizers {
		if strings.Contains(o, "/") {
			names[i] = "members of " + o
		} else {
			names[i] = strings.TrimPrefix(o, "@")
		}
	}
	return "only organizers (" + strings.Join(names, ", ") + ", per .github/cohortbot.yml) may"
}
