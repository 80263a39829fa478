package waitlists

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/waitlist"
)

// RunProposeCohort opens a draft new-cohort request filled from the
// waitlist (SPEC §11), once per command; when too few match, the reply says
// what is missing.
func RunProposeCohort(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	step, area, ok := waitlist.ParseStep(x.Cmd.Args)
	if !ok {
		return x.Refuse(ctx, fmt.Sprintf("`/propose-cohort` needs a ladder step first (%s), e.g. `/propose-cohort Reviewer SIG Apps`; nothing was done.",
			strings.Join(cohort.LadderSteps, ", ")))
	}
	all, err := x.Env.Store.Waitlist(ctx, x.Event.Repo)
	if err != nil {
		return err
	}
	p := waitlist.Propose(all, step, area, x.Cfg.MaxMentees, x.Cfg.MenteesPerMentor, x.Env.Now())
	if p.Missing != "" {
		zerolog.Ctx(ctx).Info().Str("step", step).Str("missing", p.Missing).Msg("no cohort to propose")
		// The command was carried out: the waitlist was read, and the
		// answer is what it lacks.
		if err := x.OK(ctx); err != nil {
			return err
		}
		return x.Reply(ctx, "too few on the waitlist to propose a cohort: "+p.Missing+" Nothing was opened.")
	}
	v, err := x.Env.Store.Once(ctx, x.Key("propose"), nil, func() (string, error) {
		if err := x.gh.EnsureLabels(ctx, x.Event.Repo, kernel.LabelSpecs(waitlist.LabelDraft)...); err != nil {
			return "", err
		}
		is, err := x.gh.CreateIssue(ctx, x.Event.Repo, gh.NewIssue{
			Title: p.Title(), Body: p.Body(x.Event.Author), Labels: []string{waitlist.LabelDraft},
		})
		return fmt.Sprint(is.Number), err
	})
	if err != nil {
		return err
	}
	if v == "" {
		return x.Reply(ctx, "GitHub refused to open the proposed request; nothing was opened.")
	}
	zerolog.Ctx(ctx).Info().Str("issue", v).Int("mentees", len(p.Mentees)).Msg("proposed a cohort from the waitlist")
	if err := x.OK(ctx); err != nil {
		return err
	}
	return x.Reply(ctx, fmt.Sprintf("proposed #%s: %s and %s from the waitlist, labelled `%s`. "+
		"Fill in the dates there, then add `%s` to submit it.", v, waitlist.Plural(len(p.Mentees), "mentee"),
		waitlist.Plural(len(p.Mentors), "mentor"), waitlist.LabelDraft, kernel.LabelRequest))
}

// HandleAnyIssue runs the commands that work on any issue of the
// repository (Where OnAny) in a comment on an issue that is neither a
// cohort's nor a task. Other commands there are not cohortbot's business.
func HandleAnyIssue(ctx context.Context, env *kernel.Env, g command.CommentGitHub, cs kernel.ConfigSource, ev command.CommentEvent) error {
	var run []command.Slot
	var ignored []cohort.Command // past cohort.MaxCommands: named in the reply (SPEC §5)
	cmds, _ := cohort.ParseCommandsLimit(ev.Body, cohort.MaxCommandLines)
	for i, c := range cmds {
		if cmd, ok := command.Lookup(c.Name); !ok || !cmd.On(command.RoleAny) {
			continue
		}
		if len(run) < cohort.MaxCommands {
			run = append(run, command.Slot{Idx: i, Cmd: c})
		} else {
			ignored = append(ignored, c)
		}
	}
	if len(run) == 0 || ev.Action != "created" {
		zerolog.Ctx(ctx).Debug().Msg("skip: comment is not on a cohort issue")
		return nil
	}
	unlock, err := env.LockIssue(ctx, ev.Repo, ev.Number)
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := command.Admit(ctx, env, g, ev, run, nil); !ok || err != nil {
		if err == nil {
			err = command.FlushReply(ctx, env, g, ev, run, ignored, nil)
		}
		return err
	}
	cfg, err := cs.RepoConfig(ctx, ev.Repo)
	var ce *kernel.ConfigError
	if errors.As(err, &ce) {
		return kernel.ReportConfigError(ctx, env, g, ev.Repo, ev.Number, ev.CommentID, ce, kernel.RetryByComment)
	}
	if err != nil {
		return err
	}
	base := command.Call{Env: env, GH: g, Cfg: cfg, Cohort: store.Cohort{Repo: ev.Repo, InstallationID: ev.Installation}, Event: ev, Role: command.RoleAny}
	for _, s := range run {
		x := base
		x.Cmd, x.Idx = s.Cmd, s.Idx
		if err := x.RunOnce(ctx); err != nil {
			return err
		}
	}
	return command.FlushReply(ctx, env, g, ev, run, ignored, nil)
}
