package kernel

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/config"
)

// TeamInvisibleError is an organizers entry "org/team" that GitHub answers
// with 404 for the team itself: no such team, or the App lacks the
// organization permission members:read. It is shown on the issue, never
// read as "not an organizer" (an organizer would be refused for a setting
// they cannot see).
type TeamInvisibleError struct{ Team string }

func (e *TeamInvisibleError) Error() string {
	return fmt.Sprintf("team %s is not visible to the App (no such team, or the App lacks members:read)", e.Team)
}

// teamViewer tells a team the App cannot see from a user who is not in it
// (gh.Client implements it).
type teamViewer interface {
	TeamVisible(ctx context.Context, org, team string) (bool, error)
}

// IsOrganizer applies SPEC §1: a user in the config's organizers list
// (handles or org/team slugs), or, when that list is empty, anyone with
// write, maintain or admin permission on the mentoring repository. Plain
// handles are matched first (no API call); an error on one team does not
// stop the others from being tried, and is returned only when no entry
// says yes.
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
		if !strings.Contains(o, "/") && strings.EqualFold(strings.TrimPrefix(o, "@"), user) {
			return true, nil
		}
	}
	var errs []error
	for _, o := range cfg.Organizers {
		org, team, ok := strings.Cut(strings.TrimPrefix(o, "@"), "/")
		if !ok {
			continue
		}
		member, err := isTeamMember(ctx, p, org, team, user)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if member {
			return true, nil
		}
	}
	return false, errors.Join(errs...)
}

// isTeamMember asks GitHub about one team, telling a team the App cannot
// see (TeamInvisibleError) from a user outside it.
func isTeamMember(ctx context.Context, p Permissions, org, team, user string) (bool, error) {
	member, err := p.IsTeamMember(ctx, org, team, user)
	if err != nil || member {
		return member, err
	}
	tv, ok := p.(teamViewer)
	if !ok {
		return false, nil
	}
	visible, err := tv.TeamVisible(ctx, org, team)
	if err != nil {
		return false, err
	}
	if !visible {
		return false, &TeamInvisibleError{Team: org + "/" + team}
	}
	return false, nil
}

// organizerRule says in words who may organize, for refusals.
func OrganizerRule(cfg config.Repo) string {
	return "only " + OrganizersPhrase(cfg) + " may"
}

// organizersPhrase names the repository's organizers: the configured ones,
// or everyone with write access.
func OrganizersPhrase(cfg config.Repo) string {
	if len(cfg.Organizers) == 0 {
		return "organizers (people with write access to this repository)"
	}
	names := make([]string, len(cfg.Organizers))
	for i, o := range cfg.Organizers {
		if strings.Contains(o, "/") {
			names[i] = "members of " + o
		} else {
			names[i] = strings.TrimPrefix(o, "@")
		}
	}
	return "organizers (" + strings.Join(names, ", ") + ", per .github/cohortbot.yml)"
}

// OrganizerCache remembers, briefly and in-process, whether a user is an
// organizer of a repository: a comment of ten organizer commands, or a
// stranger's flood, costs one permission or team lookup a minute per user
// instead of one per command. Its size is bounded; only clear answers are
// kept (an error or an invisible team is asked again).
type OrganizerCache struct {
	TTL time.Duration
	Max int

	mu sync.Mutex
	m  map[string]organizerVerdict
}

type organizerVerdict struct {
	ok bool
	at time.Time
}

// OrganizerCacheTTL and OrganizerCacheSize are the server's cache: a
// permission granted or revoked takes effect within a minute.
const (
	OrganizerCacheTTL  = time.Minute
	OrganizerCacheSize = 4096
)

// NewOrganizerCache keeps up to max verdicts for ttl each.
func NewOrganizerCache(ttl time.Duration, max int) *OrganizerCache {
	return &OrganizerCache{TTL: ttl, Max: max}
}

// organizerKey is what a verdict depends on: where, who, and the config's
// organizers list (a changed list is a new question).
func OrganizerKey(installation int64, repo, user string, cfg config.Repo) string {
	return fmt.Sprintf("%d\x00%s\x00%s\x00%s", installation, strings.ToLower(repo), strings.ToLower(user),
		strings.ToLower(strings.Join(cfg.Organizers, ",")))
}

func (c *OrganizerCache) Get(key string, now time.Time) (ok, found bool) {
	if c == nil {
		return false, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, found := c.m[key]
	if !found || now.Sub(v.at) >= c.TTL || now.Before(v.at) {
		return false, false
	}
	return v.ok, true
}

func (c *OrganizerCache) Put(key string, ok bool, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]organizerVerdict{}
	}
	if len(c.m) >= c.Max {
		for k, v := range c.m {
			if now.Sub(v.at) >= c.TTL {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.Max {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[key] = organizerVerdict{ok: ok, at: now}
}

// onlyInvisible reports whether every error joined in err is a
// TeamInvisibleError: any other failure (a 5xx) is retried instead.
func OnlyInvisible(err error) bool {
	var inv *TeamInvisibleError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !errors.As(e, &inv) {
				return false
			}
		}
		return true
	}
	return errors.As(err, &inv)
}

// invisibleTeamText explains a TeamInvisibleError to the people on the issue,
// naming the permission to grant.
func InvisibleTeamText(inv *TeamInvisibleError) string {
	return fmt.Sprintf("cohortbot cannot tell whether you are an organizer: GitHub does not show it the team `%s` "+
		"named in `organizers` of .github/cohortbot.yml. Either the team does not exist, or the App lacks the "+
		"organization permission **Members: read** (`members:read`); an owner of the organization can grant it in the "+
		"App installation's settings.", inv.Team)
}

// reportInvisibleTeam answers a cohort request whose sender's organizer
// status could not be decided (a team the App cannot see), once per
// request and sender, instead of refusing them as a non-organizer.
func ReportInvisibleTeam(ctx context.Context, env *Env, g Commenter, repo string, number int, issueID int64, sender string, err error) error {
	var inv *TeamInvisibleError
	errors.As(err, &inv)
	marker := fmt.Sprintf("<!-- cohortbot:team-invisible issue=%d user=%s -->", issueID, strings.ToLower(sender))
	body := "@" + sender + ": " + InvisibleTeamText(inv) + " Nothing was created; edit this issue once that is fixed.\n" + marker
	_, err = env.UpsertComment(ctx, g, teamInvisibleKey(issueID, sender), repo, number, marker, body)
	return err
}
