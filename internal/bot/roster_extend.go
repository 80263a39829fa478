package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/templates"
)

// runExtend moves the cohort's end date (organizers, on the hub) under the
// form's date rules: a real date, after the start, a length between
// min_weeks and max_weeks, not in the past. A shorter cohort is allowed too,
// as long as it ends today or later. The hub's title and roster region and
// every mentee issue show the new dates; the scheduler re-plans the weeks
// and the close.
func runExtend(ctx context.Context, x *call) error {
	if len(x.cmd.Args) != 1 {
		return x.refuse(ctx, "usage: `/extend YYYY-MM-DD`, the new end date.")
	}
	end, err := cohort.ParseDate(x.cmd.Args[0])
	if err != nil {
		return x.refuse(ctx, fmt.Sprintf("%s is not a real date in the form YYYY-MM-DD.", cohort.Echo(x.cmd.Args[0])))
	}
	if !x.resumed(ctx) {
		if end == x.c.Spec.End {
			return x.refuse(ctx, fmt.Sprintf("the cohort already ends on %s.", end))
		}
		var problems []string
		for _, p := range cohort.CheckDates(x.c.Spec.Start, end, x.cfg.Rules(), x.cal.Loc, x.env.Now()) {
			problems = append(problems, lowerFirst(p.Message)+" "+p.Fix)
		}
		if len(problems) > 0 {
			return x.refuseAll(ctx, problems)
		}
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	spec := x.c.Spec
	spec.End = end
	if err := x.env.Store.ExtendCohort(ctx, x.c.ID, spec); err != nil {
		return err
	}
	x.c.Spec = spec
	if err := x.g.SetIssueTitle(ctx, x.c.Repo, x.c.HubNumber, spec.Title()); err != nil {
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
	unlock, err := x.env.lock(ctx, renderKey(x.c.ID, TargetMentee(m.Handle)))
	if err != nil {
		return err
	}
	defer unlock()
	is, err := x.g.GetIssue(ctx, x.c.Repo, m.Issue)
	if err != nil {
		return err
	}
	body, err := RenderMentee(x.c, x.cfg, m, regionOf(is.Body, "log"), regionOf(is.Body, "tasks"))
	if err != nil || body == strings.ReplaceAll(is.Body, "\r\n", "\n") {
		return err
	}
	return x.g.SetIssueBody(ctx, x.c.Repo, m.Issue, body)
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
