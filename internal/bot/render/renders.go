package render

import (
	"context"
	"errors"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// ErrRerender means more changes arrived while rendering: run again.
var ErrRerender = errors.New("render again")

// RenderGitHub is what re-rendering a region needs.
type RenderGitHub interface {
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	SetIssueBody(ctx context.Context, repo string, number int, body string) error
}

// Render rewrites one bot-owned region from state, preserving the rest of
// the issue body (what humans wrote or ticked).
func Render(ctx context.Context, env *kernel.Env, g RenderGitHub, a kernel.RenderArgs) error {
	key := kernel.RenderKey(a.CohortID, a.Target)
	unlock, err := env.Lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	gen, done, err := env.Store.RenderGeneration(ctx, key)
	if err != nil {
		return err
	}
	if gen <= done {
		// Written since it was asked for (a check-in writes its mentee's
		// log at once): nothing new to show, no request to send.
		return nil
	}
	c, err := env.Store.Cohort(ctx, a.CohortID)
	if err != nil {
		return err
	}
	if rl := env.Yield(ctx, c.InstallationID, "render"); rl != nil {
		return rl // the wanted generation stays recorded: the snoozed job renders it
	}
	number, regions, err := RegionContents(ctx, env, c, a.Target)
	if err != nil || number == 0 {
		return err
	}
	is, err := g.GetIssue(ctx, c.Repo, number)
	if err != nil {
		return err
	}
	body := ApplyRegions(ctx, is.Body, number, regions)
	if body != is.Body {
		if err := g.SetIssueBody(ctx, c.Repo, number, body); err != nil {
			return err
		}
	}
	if err := env.Store.MarkRendered(ctx, key, gen); err != nil {
		return err
	}
	if wanted, _, err := env.Store.RenderGeneration(ctx, key); err == nil && wanted > gen {
		return ErrRerender
	}
	return nil
}

type region struct{ name, content string }

// ApplyRegions writes each region's content into body; a region a human
// deleted is appended again (and stray markers of it removed first).
func ApplyRegions(ctx context.Context, body string, number int, regions []region) string {
	for _, r := range regions {
		var ok bool
		if body, ok = templates.ReplaceRegion(body, r.name, r.content); !ok {
			ev := zerolog.Ctx(ctx).Warn()
			if r.name == ladderRegionName {
				ev = zerolog.Ctx(ctx).Debug() // added at the first measurement, not deleted by anyone
			}
			ev.Int("issue", number).Str("region", r.name).Msg("bot-owned region missing from the body; appended again")
			body = strings.TrimRight(templates.StripRegion(body, r.name), "\n") + "\n\n" + templates.Region(r.name, r.content) + "\n"
		}
	}
	return body
}

// RegionContents computes what a target's regions show: the hub's check-in
// board and task board, or a mentee's log and tasks.
func RegionContents(ctx context.Context, env *kernel.Env, c store.Cohort, target string) (int, []region, error) {
	st, err := LoadState(ctx, env.Store, c)
	if err != nil {
		return 0, nil, err
	}
	number, handle := c.HubNumber, ""
	roster, err := hubRosterWithProgress(ctx, env, c)
	if err != nil {
		return 0, nil, err
	}
	regions := []region{{"roster", roster}, {"checkins", st.board()}}
	if target != kernel.TargetHub {
		handle = strings.TrimPrefix(target, "mentee:")
		m, ok := st.Mentee(handle)
		if !ok {
			return 0, nil, nil
		}
		number, regions = m.Issue, []region{{"log", st.log(m.Handle)}}
		if lr, ok, err := ladderRegion(ctx, env, c, m.Handle); err != nil {
			return 0, nil, err
		} else if ok {
			regions = append(regions, region{ladderRegionName, lr})
		}
	}
	tasks, ok, err := tasks.TasksContent(ctx, env.Store, c, handle)
	if err != nil {
		return 0, nil, err
	}
	if ok {
		regions = append(regions, region{"tasks", tasks})
	}
	return number, regions, nil
}
