package roster

import (
	"context"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// runExtend moves the cohort's end date (organizers, on the hub) under the
// form's date rules: a real date, after the start, a length between
// min_weeks and max_weeks, not in the past. A shorter cohort is allowed too,
// as long as it ends today or later. The hub's title and roster region and
// every mentee issue show the new dates; the scheduler re-plans the weeks
// and the close.
func RunExtend(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
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
	if err := x.GH.SetIssueTitle(ctx, x.Cohort.Repo, x.Cohort.HubNumber, spec.Title()); err != nil {
		return err
	}
	if err := x.rewriteMentees(ctx, spec.Mentees); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("end", end.String()).Msg("cohort end date moved")
	return x.finish(ctx)
}

// rewriteMentees renders the mentee issues of ms afresh: their header names
// the dates and the paired mentor (or all mentors), which roster changes
// alter. The bot-owned regions (log, tasks) are carried over as they are;
// the region lock keeps a concurrent re-render from writing an old header
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
	is, err := x.GH.GetIssue(ctx, x.Cohort.Repo, m.Issue)
	if err != nil {
		return err
	}
	body, err := render.RenderMentee(x.Cohort, x.Cfg, m, regionOf(is.Body, "log"), regionOf(is.Body, "tasks"))
	if err != nil || body == strings.ReplaceAll(is.Body, "\r\n", "\n") {
		return err
	}
	return x.GH.SetIssueBody(ctx, x.Cohort.Repo, m.Issue, body)
}

// regionOf returns the content of bot-owned region name in body ("" when
// the region is missing: the render then starts it afresh).
func regionOf(body, name string) string {
	begin, end, _ := strings.Cut(templates.Region(name, "\x00"), "\x00")
	body = strings.ReplaceAll(body, "\r\n", "\n")
	_, after, ok := strings.Cut(body, strings.TrimSpace(begin))
	if !ok {
		return ""
	}
	content, _, ok := strings.Cut(after, strings.TrimSpace(end))
	if !ok {
		return ""
	}
	return strings.TrimSpace(content)
}

// lowerFirst lower-cases the first letter of a form problem's message, to
// follow "@user: ".
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]-'A'+'a') + s[1:]
	}
	return s
}
