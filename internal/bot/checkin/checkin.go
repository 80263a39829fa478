package checkin

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// runCheckin records a /checkin (SPEC §3): for the author, or for a mentee
// named by a mentor. Missing sections are answered precisely and nothing is
// recorded until the comment is edited into shape.
func RunCheckin(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	mentee, why := x.checkinFor()
	if why != "" {
		return x.Refuse(ctx, why)
	}
	week, ok := x.Cal.WeekOf(x.Event.CreatedAt)
	switch {
	case !ok && x.Cal.Before(x.Event.CreatedAt):
		return x.Refuse(ctx, fmt.Sprintf("the cohort starts on %s; check-ins count from then. Nothing was recorded.", x.Cohort.Spec.Start))
	case !ok:
		return x.Refuse(ctx, fmt.Sprintf("the cohort ended on %s; check-ins are closed. Nothing was recorded.", x.Cohort.Spec.End))
	}
	required, optional := x.Cfg.Checkin.Sections, x.Cfg.Checkin.OptionalSections
	sections, missing := cohort.ParseCheckin(x.Event.Body, required, optional)
	if len(missing) > 0 {
		return x.Refuse(ctx, missingText(missing, required, optional, mentee, x.Event.Author))
	}
	var ordered []store.Section
	for _, name := range append(append([]string{}, required...), optional...) {
		if t, ok := sections[name]; ok {
			ordered = append(ordered, store.Section{Name: name, Text: t})
		}
	}
	m, _ := x.Member(mentee)
	changed, err := x.Env.Store.RecordCheckin(ctx, store.Checkin{
		CohortID: x.Cohort.ID, Mentee: m.Handle, Week: week, CommentID: x.Event.CommentID, CommentURL: x.Event.URL,
		Author: x.Event.Author, Sections: ordered, CreatedAt: x.Event.CreatedAt,
	})
	if err != nil {
		return err
	}
	if changed {
		zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Int("week", week).Msg("recorded check-in")
	}
	if err := x.unconfuse(ctx); err != nil {
		return err
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	shown := shownToken(x.Event.CommentID, ordered)
	if !changed && x.shown(ctx, m, week) == shown {
		// A redelivery, or an older comment of a week already recorded:
		// the issues already show it, nothing to send.
		zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Int("week", week).Msg("check-in already recorded and shown")
		return nil
	}
	// The hub's render is asked for before the mentee's write, whose effect
	// key is what a retry checks: a crash between them leaves both to do.
	if err := x.Env.RequestRenders(ctx, x.Cohort.ID, kernel.TargetHub); err != nil {
		return err
	}
	return x.writeMenteeIssue(ctx, m, week, shown)
}

// checkinFor decides whose check-in this is, or why it is refused.
func (x *call) checkinFor() (mentee, why string) {
	author := x.Event.Author
	if len(x.Cmd.Args) > 0 {
		h, err := cohort.NormalizeHandle(x.Cmd.Args[0])
		if err != nil {
			return "", fmt.Sprintf("%s is not a GitHub handle: %v", cohort.Echo(x.Cmd.Args[0]), err)
		}
		if strings.EqualFold(h, author) && x.IsActiveMentee(author) {
			return author, ""
		}
		if !x.IsMentor(author) {
			return "", "only the cohort's mentors may check in for someone else (`/checkin @mentee`); mentees check in with a plain `/checkin`."
		}
		if !x.IsActiveMentee(h) {
			return "", fmt.Sprintf("%s is not an active mentee of this cohort.", x.Named(h))
		}
		return h, ""
	}
	if x.IsActiveMentee(author) {
		return author, ""
	}
	if x.IsMentor(author) && x.Role == store.IssueMentee && x.IsActiveMentee(x.Owner) {
		return x.Owner, ""
	}
	// The gate let only mentees and mentors through: this is a mentor.
	return "", "mentors check in for a mentee with `/checkin @mentee`."
}

// missingText tells exactly what a check-in lacks, with a template to copy.
func missingText(missing, required, optional []string, mentee, author string) string {
	var b strings.Builder
	b.WriteString("this check-in is missing ")
	for i, m := range missing {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("**" + m + "**")
	}
	b.WriteString(", so nothing was recorded yet. Edit your comment to add ")
	if len(missing) == 1 {
		b.WriteString("it")
	} else {
		b.WriteString("them")
	}
	b.WriteString(" and cohortbot will record it. Template:\n\n```\n/checkin")
	if !strings.EqualFold(mentee, author) {
		b.WriteString(" @" + mentee)
	}
	for _, s := range append(append([]string{}, required...), optional...) {
		b.WriteString("\n" + s + ": …")
	}
	b.WriteString("\n```")
	return b.String()
}

// unconfuse swaps an earlier 😕 (incomplete check-in) for the 👍 to come,
// and edits the earlier reply to say the check-in is recorded. The effect
// goes from the reaction's id to "unreacted" to "removed", so a retry after
// the reply's edit failed (a 429, a 502) edits it again instead of leaving
// it saying that something is missing.
func (x *call) unconfuse(ctx context.Context) error {
	key := kernel.ReactKey(x.Event.CommentID, "confused")
	e, err := x.Env.Store.GetEffect(ctx, key)
	if err != nil || e.State != store.EffectDone || e.Value == "removed" {
		return nil
	}
	if e.Value != "unreacted" {
		id, _ := strconv.ParseInt(e.Value, 10, 64)
		if err := x.GH.Unreact(ctx, x.Event.Repo, x.Event.CommentID, id); err != nil {
			return err
		}
		if err := x.Env.Store.PutEffect(ctx, key, store.EffectDone, "unreacted"); err != nil {
			return err
		}
	}
	if _, err := x.Env.Store.GetEffect(ctx, x.Key("reply")); err == nil {
		if err := x.Reply(ctx, "thanks, this check-in is complete now and has been recorded. 👍"); err != nil {
			return err
		}
	}
	return x.Env.Store.PutEffect(ctx, key, store.EffectDone, "removed")
}

// withdrawCheckin handles a deleted /checkin comment: the record goes, and
// so does the week's label.
func WithdrawCheckin(ctx context.Context, env *kernel.Env, g command.CommentGitHub, c store.Cohort, ev command.CommentEvent) error {
	ci, ok, err := env.Store.DeleteCheckinByComment(ctx, ev.CommentID)
	if err != nil || !ok {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("mentee", ci.Mentee).Int("week", ci.Week).Msg("withdrew check-in of a deleted comment")
	for _, m := range c.Spec.Mentees {
		if strings.EqualFold(m.Handle, ci.Mentee) && m.Issue != 0 {
			if err := g.RemoveLabel(ctx, c.Repo, m.Issue, kernel.WeekLabel(ci.Week)); err != nil {
				return err
			}
			key := kernel.WeekLabelKey(c.ID, m.Handle, ci.Week)
			// Pending with no finder: a later check-in that week labels again.
			if err := env.Store.PutEffect(ctx, key, store.EffectPending, ""); err != nil {
				return err
			}
			return env.RequestRenders(ctx, c.ID, kernel.TargetHub, kernel.TargetMentee(m.Handle))
		}
	}
	return env.RequestRenders(ctx, c.ID, kernel.TargetHub)
}

// shownKey is the effect recording which check-in of a mentee's week the
// mentee issue was last written for.
func shownKey(c store.Cohort, m store.Member, week int) string {
	return kernel.ShownKeyOf(c.ID, m.Handle, week)
}

// shownToken names one version of one check-in: its comment and a hash of
// its sections.
func shownToken(commentID int64, sections []store.Section) string {
	h := sha256.New()
	for _, s := range sections {
		fmt.Fprintf(h, "%s\x00%s\x00", s.Name, s.Text)
	}
	return fmt.Sprintf("%d:%x", commentID, h.Sum(nil)[:12])
}

// shown returns the token of the check-in the mentee issue was last written
// for, in week ("" when none).
func (x *call) shown(ctx context.Context, m store.Member, week int) string {
	e, err := x.Env.Store.GetEffect(ctx, shownKey(x.Cohort, m, week))
	if err != nil || e.State != store.EffectDone {
		return ""
	}
	return e.Value
}
