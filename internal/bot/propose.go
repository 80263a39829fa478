package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/waitlist"
)

// OnAny is where a command of the mentoring repository works: on any of
// its issues, a cohort's or not.
const OnAny = "any issue"

// anywhere reports whether c works on any issue of the repository, so an
// ended cohort's issues take it too.
func (c Command) anywhere() bool {
	for _, w := range c.Where {
		if w == OnAny {
			return true
		}
	}
	return false
}

// roleAny is the role of an issue that belongs to no cohort.
const roleAny = "any"

// runProposeCohort opens a draft new-cohort request filled from the
// waitlist (SPEC §11), once per command; when too few match, the reply says
// what is missing.
func runProposeCohort(ctx context.Context, x *call) error {
	step, area, ok := waitlist.ParseStep(x.cmd.Args)
	if !ok {
		return x.refuse(ctx, fmt.Sprintf("`/propose-cohort` needs a ladder step first (%s), e.g. `/propose-cohort Reviewer SIG Apps`; nothing was done.",
			strings.Join(cohort.LadderSteps, ", ")))
	}
	all, err := x.env.Store.Waitlist(ctx, x.ev.Repo)
	if err != nil {
		return err
	}
	p := waitlist.Propose(all, step, area, x.cfg.MaxMentees, x.cfg.MenteesPerMentor, x.env.Now())
	if p.Missing != "" {
		zerolog.Ctx(ctx).Info().Str("step", step).Str("missing", p.Missing).Msg("no cohort to propose")
		// The command was carried out: the waitlist was read, and the
		// answer is what it lacks.
		if err := x.ok(ctx); err != nil {
			return err
		}
		return x.reply(ctx, "too few on the waitlist to propose a cohort: "+p.Missing+" Nothing was opened.")
	}
	v, err := x.env.Store.Once(ctx, x.key("propose"), nil, func() (string, error) {
		if err := x.g.EnsureLabels(ctx, x.ev.Repo, labelSpecs(waitlist.LabelDraft)...); err != nil {
			return "", err
		}
		is, err := x.g.CreateIssue(ctx, x.ev.Repo, gh.NewIssue{
			Title: p.Title(), Body: p.Body(x.ev.Author), Labels: []string{waitlist.LabelDraft},
		})
		return fmt.Sprint(is.Number), err
	})
	if err != nil {
		return err
	}
	if v == "" {
		return x.reply(ctx, "GitHub refused to open the proposed request; nothing was opened.")
	}
	zerolog.Ctx(ctx).Info().Str("issue", v).Int("mentees", len(p.Mentees)).Msg("proposed a cohort from the waitlist")
	if err := x.ok(ctx); err != nil {
		return err
	}
	return x.reply(ctx, fmt.Sprintf("proposed #%s: %s and %s from the waitlist, labelled `%s`. "+
		"Fill in the dates there, then add `%s` to submit it.", v, waitlist.Plural(len(p.Mentees), "mentee"),
		waitlist.Plural(len(p.Mentors), "mentor"), waitlist.LabelDraft, LabelRequest))
}

// handleAnyIssue runs the commands that work on any issue of the
// repository (Where OnAny) in a comment on an issue that is neither a
// cohort's nor a task. Other commands there are not cohortbot's business.
func handleAnyIssue(ctx context.Context, env *Env, g CommentGitHub, cs ConfigSource, ev CommentEvent) error {
	var run []slot
	cmds, _ := cohort.ParseCommandsLimit(ev.Body, cohort.MaxCommandLines)
	for i, c := range cmds {
		if cmd, ok := lookup(c.Name); ok && cmd.on(roleAny) && len(run) < cohort.MaxCommands {
			run = append(run, slot{idx: i, cmd: c})
		}
	}
	if len(run) == 0 || ev.Action != "created" {
		zerolog.Ctx(ctx).Debug().Msg("skip: comment is not on a cohort issue")
		return nil
	}
	unlock, err := env.lockIssue(ctx, ev.Repo, ev.Number)
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := admit(ctx, env, g, ev, run, nil); !ok || err != nil {
		if err == nil {
			err = flushReply(ctx, env, g, ev, run, nil, nil)
		}
		return err
	}
	cfg, err := cs.RepoConfig(ctx, ev.Repo)
	var ce *ConfigError
	if errors.As(err, &ce) {
		return reportConfigError(ctx, env, g, ev.Repo, ev.Number, ev.CommentID, ce)
	}
	if err != nil {
		return err
	}
	base := call{env: env, g: g, cfg: cfg, c: store.Cohort{Repo: ev.Repo, InstallationID: ev.Installation}, ev: ev, role: roleAny}
	for _, s := range run {
		x := base
		x.cmd, x.idx = s.cmd, s.idx
		if err := x.runOnce(ctx); err != nil {
			return err
		}
	}
	return flushReply(ctx, env, g, ev, run, nil, nil)
}
