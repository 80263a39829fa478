package roster

import (
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/request"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// handleArg reads the one handle a command takes.
func (x *call) handleArg() (string, string) {
	if len(x.Cmd.Args) != 1 {
		var usage string
		if c, ok := command.Lookup(x.Cmd.Name); ok {
			usage = c.Usage
		}
		return "", fmt.Sprintf("usage: `%s`, with exactly one handle.", usage)
	}
	h, err := cohort.NormalizeHandle(x.Cmd.Args[0])
	if err != nil {
		return "", fmt.Sprintf("%s is not a GitHub handle: %v.", cohort.Echo(x.Cmd.Args[0]), err)
	}
	return h, ""
}

// anyMember finds a roster entry of role, whatever its status.
func (x *call) anyMember(role, handle string) (store.Member, bool) {
	for _, m := range x.Members {
		if m.Role == role && strings.EqualFold(m.Handle, handle) {
			return m, true
		}
	}
	return store.Member{}, false
}

// RunAddMentee adds a mentee with the form's rules (organizers, on the
// hub). They are expected from the week of the command on, and get a
// tracking issue; a mentee who had withdrawn or been removed gets their old
// issue reopened.
func RunAddMentee(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	if len(x.Cmd.Args) == 0 {
		return x.Refuse(ctx, "usage: `/add-mentee @mentee [-> @mentor]`.")
	}
	m, err := cohort.ParseMenteeArg(strings.Join(x.Cmd.Args, " "))
	if err != nil {
		return x.Refuse(ctx, fmt.Sprintf("%v.", err))
	}
	if !x.resumed(ctx) {
		if x.Cal.After(x.Event.CreatedAt) {
			return x.Refuse(ctx, fmt.Sprintf("the cohort ended on %s; nobody can join it now.", x.Cohort.Spec.End))
		}
		busy, err := x.Env.Store.BusyMentees(ctx, x.Cohort.Repo, x.Cohort.ID)
		if err != nil {
			return err
		}
		var problems []string
		if m, problems = x.Roster().CheckAddMentee(x.Cfg.Rules(), m, busy[strings.ToLower(m.Handle)]); len(problems) > 0 {
			return x.refuseAll(ctx, problems)
		}
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	prev, rejoins := x.anyMember(store.RoleMentee, m.Handle)
	if err := x.joinMentee(ctx, m); err != nil {
		return err
	}
	mi, err := request.CreateMenteeIssue(ctx, x.Env, x.gh, x.Cfg, x.Cohort, m)
	if err != nil {
		return err
	}
	if rejoins && prev.Status != store.StatusActive {
		if err := x.reopenMentee(ctx, mi.Number); err != nil {
			return err
		}
	}
	zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Int("issue", mi.Number).Msg("mentee added")
	return x.finish(ctx, m.Handle)
}

// joinMentee stores m as an active mentee from the current week, and on
// the hub's roster.
func (x *call) joinMentee(ctx context.Context, m cohort.Mentee) error {
	spec := x.Cohort.Spec
	spec.Mentees = nil
	for _, sm := range x.Cohort.Spec.Mentees {
		if !strings.EqualFold(sm.Handle, m.Handle) {
			spec.Mentees = append(spec.Mentees, sm)
		}
	}
	spec.Mentees = append(spec.Mentees, cohort.Mentee{Handle: m.Handle, Mentor: m.Mentor})
	member := store.Member{Handle: m.Handle, Role: store.RoleMentee, Mentor: m.Mentor, Status: store.StatusActive,
		JoinedWeek: x.CurrentWeek()}
	if prev, ok := x.anyMember(store.RoleMentee, m.Handle); ok && prev.Status == store.StatusActive {
		member.JoinedWeek = prev.JoinedWeek // a resumed command: already joined
	}
	if err := x.Env.Store.SaveRoster(ctx, x.Cohort.ID, spec, member); err != nil {
		return err
	}
	x.Cohort.Spec = spec
	return nil
}

// reopenMentee gives a rejoining mentee their tracking issue back, without
// the outcome label of their leaving.
func (x *call) reopenMentee(ctx context.Context, number int) error {
	if err := x.gh.ReopenIssue(ctx, x.Cohort.Repo, number); err != nil {
		return err
	}
	if err := x.gh.RemoveLabel(ctx, x.Cohort.Repo, number, kernel.LabelWithdrawn); err != nil {
		return err
	}
	return x.gh.AddLabels(ctx, x.Cohort.Repo, number, kernel.LabelActive)
}

// RunRemoveMentee takes a mentee off the cohort (organizers, on the hub):
// unlike /withdraw it erases them from the board and the final report, as
// for someone added by mistake. Their issue gets one comment saying so, loses
// cohort/active and is closed as not planned.
func RunRemoveMentee(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	h, why := x.handleArg()
	m, found := x.anyMember(store.RoleMentee, h)
	switch {
	case why != "":
	case !found || (m.Status == store.StatusRemoved && !x.resumed(ctx)):
		why = fmt.Sprintf("%s is not a mentee of this cohort.", x.Named(h))
	}
	if why != "" {
		return x.Refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	if err := x.leave(ctx, m, store.StatusRemoved, ""); err != nil {
		return err
	}
	if m.Issue != 0 {
		if err := x.closeRemoved(ctx, m); err != nil {
			return err
		}
	}
	zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Msg("mentee removed")
	return x.finish(ctx)
}

func (x *call) closeRemoved(ctx context.Context, m store.Member) error {
	marker := fmt.Sprintf("<!-- cohortbot:removed comment=%d -->", x.Event.CommentID)
	body := fmt.Sprintf("@%s was removed from the cohort **%s** by @%s, so this tracking issue is closed. Thank you for your interest; ask an organizer if this is a mistake.",
		m.Handle, templates.Text(x.Cohort.Spec.Name), x.Event.Author)
	if _, err := x.Env.UpsertComment(ctx, x.gh, x.Key("removed"), x.Cohort.Repo, m.Issue, marker, body+"\n"+marker); err != nil {
		return err
	}
	if err := x.gh.RemoveLabel(ctx, x.Cohort.Repo, m.Issue, kernel.LabelActive); err != nil {
		return err
	}
	return x.gh.CloseIssue(ctx, x.Cohort.Repo, m.Issue, "not_planned")
}

// RunAddMentor adds a mentor (organizers, on the hub): last in the
// facilitator rotation, assigned to the hub.
func RunAddMentor(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	h, why := x.handleArg()
	if why == "" && !x.resumed(ctx) {
		if problems := x.Roster().CheckAddMentor(h); len(problems) > 0 {
			why = problems[0]
		}
	}
	if why != "" {
		return x.Refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	spec := x.Cohort.Spec
	spec.Mentors = nil
	for _, sm := range x.Cohort.Spec.Mentors {
		if !strings.EqualFold(sm, h) {
			spec.Mentors = append(spec.Mentors, sm)
		}
	}
	spec.Mentors = append(spec.Mentors, h)
	if err := x.Env.Store.SaveRoster(ctx, x.Cohort.ID, spec, store.Member{Handle: h, Role: store.RoleMentor}); err != nil {
		return err
	}
	x.Cohort.Spec = spec
	if err := x.gh.AddIssueAssignees(ctx, x.Cohort.Repo, x.Cohort.HubNumber, h); err != nil && !gh.IsUnprocessable(err) {
		return err
	}
	if err := x.rewriteMentees(ctx, unpairedMentees(spec)); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("mentor", h).Msg("mentor added")
	return x.finish(ctx)
}

// RunRemoveMentor removes a mentor (organizers, on the hub) while the
// ratio still holds. Their paired mentees are unpaired rather than the
// command refused: there is no command to re-pair them, and an unpaired
// mentee is mentored by any mentor, as on the form. A note names them.
func RunRemoveMentor(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	h, why := x.handleArg()
	var unpaired []string
	if why == "" {
		var problems []string
		if unpaired, problems = x.Roster().CheckRemoveMentor(x.Cfg.Rules(), h); len(problems) > 0 && !x.resumed(ctx) {
			why = problems[0]
		}
	}
	if why != "" {
		return x.Refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	if err := x.dropMentor(ctx, h); err != nil {
		return err
	}
	if err := x.gh.RemoveIssueAssignees(ctx, x.Cohort.Repo, x.Cohort.HubNumber, h); err != nil {
		return err
	}
	if err := x.rewriteMentees(ctx, unpairedMentees(x.Cohort.Spec)); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("mentor", h).Strs("unpaired", unpaired).Msg("mentor removed")
	if len(unpaired) > 0 {
		verb := "is"
		if len(unpaired) > 1 {
			verb = "are"
		}
		if err := x.Reply(ctx, fmt.Sprintf("done. %s had @%s as paired mentor and %s now mentored by any of the cohort's mentors.",
			atHandles(unpaired), h, verb)); err != nil {
			return err
		}
	}
	return x.finish(ctx, unpaired...)
}

// dropMentor stores mentor h as removed, off the spec's mentors, with their
// mentees unpaired, in one transaction.
func (x *call) dropMentor(ctx context.Context, h string) error {
	var changed []store.Member
	if m, ok := x.anyMember(store.RoleMentor, h); ok {
		m.Status = store.StatusRemoved
		changed = append(changed, m)
	}
	spec := x.Cohort.Spec
	spec.Mentors, spec.Mentees = nil, nil
	for _, sm := range x.Cohort.Spec.Mentors {
		if !strings.EqualFold(sm, h) {
			spec.Mentors = append(spec.Mentors, sm)
		}
	}
	for _, sm := range x.Cohort.Spec.Mentees {
		if strings.EqualFold(sm.Mentor, h) {
			sm.Mentor = ""
		}
		spec.Mentees = append(spec.Mentees, sm)
	}
	for _, m := range x.Members {
		if m.Role == store.RoleMentee && strings.EqualFold(m.Mentor, h) {
			m.Mentor = ""
			changed = append(changed, m)
		}
	}
	if err := x.Env.Store.SaveRoster(ctx, x.Cohort.ID, spec, changed...); err != nil {
		return err
	}
	x.Cohort.Spec = spec
	return nil
}

func unpairedMentees(s cohort.Spec) []cohort.Mentee {
	var out []cohort.Mentee
	for _, m := range s.Mentees {
		if m.Mentor == "" {
			out = append(out, m)
		}
	}
	return out
}

// atHandles writes handles as "@a, @b and @c".
func atHandles(hs []string) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = "@" + h
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}
