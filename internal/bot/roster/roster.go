package roster

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// resumed reports whether this command already began applying (an earlier
// attempt crashed half-way): validation is then skipped.
func (x *call) resumed(ctx context.Context) bool {
	_, err := x.Env.Store.GetEffect(ctx, x.Key("roster"))
	return err == nil
}

// begin records that the command passed validation and is being applied.
func (x *call) begin(ctx context.Context) error {
	return x.Env.Store.PutEffect(ctx, x.Key("roster"), store.EffectPending, "")
}

// finish marks the command done (👍) and re-renders the hub (roster,
// check-in board) and the named mentees' issues.
func (x *call) finish(ctx context.Context, mentees ...string) error {
	if err := x.Env.Store.PutEffect(ctx, x.Key("roster"), store.EffectDone, ""); err != nil {
		return err
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	targets := []string{kernel.TargetHub}
	for _, m := range mentees {
		targets = append(targets, kernel.TargetMentee(m))
	}
	return x.Env.RequestRenders(ctx, x.Cohort.ID, targets...)
}

// refuseAll refuses with every problem, one per line when there are several.
func (x *call) refuseAll(ctx context.Context, problems []string) error {
	if len(problems) == 1 {
		return x.Refuse(ctx, problems[0])
	}
	return x.Refuse(ctx, "this cannot be done:\n\n- "+strings.Join(problems, "\n- "))
}

// runGraduate marks a mentee graduated (mentors, organizers): the label
// outcome/graduated on their issue now, the optional link kept for the
// final report. The mentee stays in the cohort; a second /graduate updates
// the link.
func RunGraduate(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	h, rest, why := x.MenteeArg()
	if why == "" && len(rest) > 1 {
		why = "usage: `/graduate @mentee [link]`, with at most one link (e.g. the OWNERS pull request)."
	}
	link := ""
	if why == "" && len(rest) == 1 {
		link, why = checkLink(rest[0])
	}
	m, found := x.RosterMentee(h)
	switch {
	case why != "":
	case !found:
		why = fmt.Sprintf("%s is not a mentee of this cohort.", x.Named(h))
	case m.Status == store.StatusWithdrawn:
		why = fmt.Sprintf("@%s has withdrawn from the cohort; a withdrawn mentee cannot graduate with it.", m.Handle)
	}
	if why != "" {
		return x.Refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	m.Outcome, m.OutcomeLink = store.OutcomeGraduated, link
	if err := x.Env.Store.SaveRoster(ctx, x.Cohort.ID, x.Cohort.Spec, m); err != nil {
		return err
	}
	if err := x.outcomeLabel(ctx, m, kernel.LabelGraduated); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Str("link", link).Msg("mentee graduated")
	return x.finish(ctx, m.Handle)
}

// linkRE is a GitHub reference: #12 or owner/repo#12.
var linkRE = regexp.MustCompile(`^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#[0-9]+$`)

// checkLink accepts an http(s) URL or a GitHub reference as the link of a
// graduation, so the final report never shows stray words as a link.
func checkLink(s string) (string, string) {
	s = strings.Trim(s, "<>")
	if linkRE.MatchString(s) {
		return s, ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 300 {
		return "", fmt.Sprintf("%s is not a link; give a URL such as the OWNERS pull request (`https://github.com/org/repo/pull/1`) or a reference like `org/repo#1`.",
			cohort.Echo(s))
	}
	return s, ""
}

// outcomeLabel puts an outcome label on a mentee's issue (adding a label
// twice is harmless, so a retry simply adds it again).
func (x *call) outcomeLabel(ctx context.Context, m store.Member, label string) error {
	if m.Issue == 0 {
		return nil
	}
	if err := x.GH.EnsureLabels(ctx, x.Cohort.Repo, kernel.LabelSpecs(label)...); err != nil {
		return err
	}
	return x.GH.AddLabels(ctx, x.Cohort.Repo, m.Issue, label)
}

// runWithdraw withdraws a mentee: the mentee themself, a mentor or an
// organizer. The outcome is withdrawn, the mentee issue gets
// outcome/withdrawn and is closed as not planned, their tasks are released,
// and they leave the hub's roster; their row stays on the check-in board,
// the weeks before the withdrawal counted as they were.
func RunWithdraw(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	h, rest, why := x.Subject()
	if why == "" && len(rest) > 0 {
		why = "usage: `/withdraw [@mentee]`."
	}
	m, found := x.RosterMentee(h)
	resumed := x.resumed(ctx)
	switch {
	case why != "":
	case !found:
		why = fmt.Sprintf("%s is not a mentee of this cohort.", x.Named(h))
	case resumed:
	case m.Status == store.StatusWithdrawn:
		why = fmt.Sprintf("@%s has already withdrawn.", m.Handle)
	case m.Outcome == store.OutcomeGraduated:
		why = fmt.Sprintf("@%s has graduated; a graduated mentee stays in the cohort until it ends.", m.Handle)
	}
	if why != "" {
		return x.Refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	if err := x.leave(ctx, m, store.StatusWithdrawn, store.OutcomeWithdrawn); err != nil {
		return err
	}
	if err := x.outcomeLabel(ctx, m, kernel.LabelWithdrawn); err != nil {
		return err
	}
	if m.Issue != 0 {
		if err := x.GH.CloseIssue(ctx, x.Cohort.Repo, m.Issue, "not_planned"); err != nil {
			return err
		}
	}
	zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Str("by", x.Event.Author).Msg("mentee withdrew")
	return x.finish(ctx, m.Handle)
}

// leave takes a mentee off the roster (withdrawn or removed): the stored
// status, the week they left, the spec without them, then their tasks.
func (x *call) leave(ctx context.Context, m store.Member, status, outcome string) error {
	if m.Status == store.StatusActive {
		m.LeftWeek = x.CurrentWeek()
	}
	m.Status, m.Outcome, m.OutcomeLink = status, outcome, ""
	spec := x.Cohort.Spec
	spec.Mentees = nil
	for _, sm := range x.Cohort.Spec.Mentees {
		if !strings.EqualFold(sm.Handle, m.Handle) {
			spec.Mentees = append(spec.Mentees, sm)
		}
	}
	if err := x.Env.Store.SaveRoster(ctx, x.Cohort.ID, spec, m); err != nil {
		return err
	}
	x.Cohort.Spec = spec
	return tasks.ReleaseMenteeTasks(ctx, x.Call, m.Handle)
}
