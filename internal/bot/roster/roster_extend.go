package roster

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/templates"
)

// RunExtend moves the cohort's end date (organizers, on the hub) under the
// form's date rules: a real date, after the start, a length between
// min_weeks and max_weeks, not in the past. A shorter cohort is allowed too,
// as long as it ends today or later. The hub's title and roster region and
// every mentee issue show the new dates; the scheduler re-plans the weeks
// and the close.
func RunExtend(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	if len(x.Cmd.Args) != 1 {
		return x.Refuse(ctx, "usage: `/extend YYYY-MM-DD`, the new end date.")
	}
	end, err := cohort.ParseDate(x.Cmd.Args[0])
	if err != nil {
		return x.Refuse(ctx, fmt.Sprintf("%s is not a real date in the form YYYY-MM-DD.", cohort.Echo(x.Cmd.Args[0])))
	}
	if !x.resumed(ctx) {
		if end == x.Cohort.Spec.End {
			return x.Refuse(ctx, fmt.Sprintf("the cohort already ends on %s.", end))
		}
		var problems []string
		for _, p := range cohort.CheckDates(x.Cohort.Spec.Start, end, x.Cfg.Rules(), x.Cal.Loc, x.Env.Now()) {
			problems = append(problems, lowerFirst(p.Message)+" "+p.Fix)
		}
		if len(problems) > 0 {
			return x.refuseAll(ctx, problems)
		}
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	spec := x.Cohort.Spec
	spec.End = end
	if err := x.Env.Store.ExtendCohort(ctx, x.Cohort.ID, spec); err != nil {
		return err
	}
	x.Cohort.Spec = spec
	if err := x.gh.SetIssueTitle(ctx, x.Cohort.Repo, x.Cohort.HubNumber, spec.Title()); err != nil {
		return err
	}
	if err := x.rewriteMentees(ctx, spec.Mentees); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("end", end.String()).Msg("cohort end date moved")
	return x.finish(ctx)
}

// rewriteMentees updates the "about" region of the mentee issues of ms:
// the dates and the paired mentor (or all mentors), which roster changes
// alter. Nothing else in their bodies is touched — not the bot's other
// regions, which their renders keep, and not what people wrote (SPEC §3).
// The region lock keeps a concurrent re-render from writing an old body
// back.
func (x *call) rewriteMentees(ctx context.Context, ms []cohort.Mentee) error {
	for _, m := range ms {
		if m.Issue == 0 {
			continue
		}
		if err := x.rewriteMentee(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (x *call) rewriteMentee(ctx context.Context, m cohort.Mentee) error {
	unlock, err := x.Env.Lock(ctx, kernel.RenderKey(x.Cohort.ID, kernel.TargetMentee(m.Handle)))
	if err != nil {
		return err
	}
	defer unlock()
	is, err := x.gh.GetIssue(ctx, x.Cohort.Repo, m.Issue)
	if err != nil {
		return err
	}
	about, err := render.MenteeAbout(x.Cohort, m)
	if err != nil {
		return err
	}
	body, ok := templates.ReplaceMenteeAbout(is.Body, m.Handle, about)
	if !ok {
		zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Int("issue", m.Issue).
			Msg("mentee issue's header was edited by hand: left as it is")
		return nil
	}
	if body == is.Body {
		return nil
	}
	return x.gh.SetIssueBody(ctx, x.Cohort.Repo, m.Issue, body)
}

// lowerFirst lower-cases the first letter of a form problem's message, to
// follow "@user: ".
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]-'A'+'a') + s[1:]
	}
	return s
}
