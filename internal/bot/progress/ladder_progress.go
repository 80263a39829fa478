package progress

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// runProgress is /progress [@mentee] (SPEC §10): it queues the mentee's
// measurements (on the hub without a name: every active mentee's), runs
// those the search pacer allows at once — never waiting for it, so the
// command does not hold up the comment's other work — and replies with the
// figures and their searches. Whatever could not be measured yet stays
// queued for the ladder job and shows on the mentee issues shortly.
func RunProgress(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	handles, why := x.progressSubjects()
	if why != "" {
		return x.Refuse(ctx, why)
	}
	l := x.Cfg.Track(x.Cohort.Spec.Step).Ladder
	if len(l.Measured()) == 0 {
		if err := x.OK(ctx); err != nil {
			return err
		}
		return x.Reply(ctx, fmt.Sprintf("nothing is measured for **%s**: its track sets no `requirements` in .github/cohortbot.yml.", x.Cohort.Spec.Step))
	}
	// The rows are measured here first and the ladder job is kicked only
	// after, for what is left: kicked at once, it would search the same
	// rows beside this command.
	queued, err := queueMeasurements(ctx, x.Env, x.Cfg, x.Cohort, handles...)
	if err != nil {
		return err
	}
	if lg, ok := x.GH.(LadderGitHub); ok {
		measureNow(ctx, x.Env, lg, x.Cohort, queued)
	}
	if err := KickLadder(ctx, x.Env, x.Cohort.InstallationID); err != nil {
		return err
	}
	text, err := progressReply(ctx, x.Env, x.Cohort, queued)
	if err != nil {
		return err
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	return x.Reply(ctx, text)
}

// progressSubjects is who /progress is about: the mentee named, else the
// mentee issue's owner, else (on the hub) every active mentee (nil).
func (x *call) progressSubjects() ([]string, string) {
	if len(x.Cmd.Args) > 1 {
		return nil, "usage: `/progress [@mentee]`."
	}
	if len(x.Cmd.Args) == 0 && x.Role == store.IssueHub {
		return nil, ""
	}
	h, _, why := x.MenteeArg()
	if why != "" {
		return nil, why
	}
	if !x.IsActiveMentee(h) {
		return nil, fmt.Sprintf("%s is not an active mentee of this cohort.", cohort.Echo(h))
	}
	return []string{h}, ""
}

// measureNow runs the queued mentees' pending measurements while the
// search pacer allows, without waiting. Best effort: what it leaves (the
// limit reached, GitHub failing) the ladder job measures later.
func measureNow(ctx context.Context, env *kernel.Env, g LadderGitHub, c store.Cohort, queued []store.Member) {
	ms, err := env.Store.Measurements(ctx, c.ID)
	if err != nil {
		return
	}
	for _, mem := range queued {
		for _, m := range ms {
			if !m.Pending || !strings.EqualFold(m.Handle, mem.Handle) {
				continue
			}
			if err := measureOne(ctx, env, g, m); err != nil {
				var rl *gh.RateLimited
				if !errors.As(err, &rl) {
					zerolog.Ctx(ctx).Warn().Err(err).Str("mentee", m.Handle).Msg("/progress: measurement left to the ladder job")
				}
				return
			}
		}
		if err := settleIfMeasured(ctx, env, g, c.ID, mem.Handle); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Str("mentee", mem.Handle).Msg("/progress: showing the progress left to the ladder job")
		}
	}
}

// progressReply is the figures of the queued mentees, each with its search.
func progressReply(ctx context.Context, env *kernel.Env, c store.Cohort, queued []store.Member) (string, error) {
	ms, err := env.Store.Measurements(ctx, c.ID)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	waiting := false
	for i, mem := range queued {
		rows, pending := render.RowsOf(ms, mem.Handle)
		if i == 0 {
			fmt.Fprintf(&b, "ladder progress toward **%s** (%s):\n", c.Spec.Step, render.DescribeScope(rows))
		}
		fmt.Fprintf(&b, "\n**%s**", mem.Handle)
		if ladder.AllMet(rows) {
			b.WriteString(" — ready to nominate ✅")
		}
		b.WriteString("\n\n" + ladder.Table(rows, env.WebBase()))
		waiting = waiting || pending
	}
	if len(queued) == 0 {
		return "this cohort has no active mentee to measure.", nil
	}
	if waiting {
		fmt.Fprintf(&b, "\nThe search API allows %d searches a minute: what shows an older or no figure is queued and will be on the mentee issues shortly.", ladder.SearchLimit)
	}
	return b.String(), nil
}
