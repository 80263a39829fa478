package bot

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// Roster commands (SPEC §5): /graduate and /withdraw here; adding and
// removing people in roster_people.go; /extend in roster_extend.go.
//
// Every roster command validates first, then applies. Applying is a
// sequence of idempotent steps (the store write, labels, closing or
// creating issues, re-renders) begun under the command's own effect key: a
// retry after a crash resumes the steps instead of validating again against
// a roster the command itself already changed ("@mia has already
// withdrawn").

// RosterEditor is what roster changes need from GitHub beyond commenting,
// labelling and creating issues.
type RosterEditor interface {
	SetIssueTitle(ctx context.Context, repo string, number int, title string) error
	ReopenIssue(ctx context.Context, repo string, number int) error
	AddIssueAssignees(ctx context.Context, repo string, number int, users ...string) error
	RemoveIssueAssignees(ctx context.Context, repo string, number int, users ...string) error
}

// reload reads the cohort and its roster afresh: an earlier command of the
// same comment ("/add-mentee @a" then "/add-mentee @b") may have changed
// them since the comment's handling began.
func (x *call) reload(ctx context.Context) error {
	c, err := x.env.Store.Cohort(ctx, x.c.ID)
	if err != nil {
		return err
	}
	if x.members, err = x.env.Store.Members(ctx, c.ID); err != nil {
		return err
	}
	if x.cal, err = cohort.NewCalendar(c.Spec); err != nil {
		return err
	}
	x.c = c
	return nil
}

// resumed reports whether this command already began applying (an earlier
// attempt crashed half-way): validation is then skipped.
func (x *call) resumed(ctx context.Context) bool {
	_, err := x.env.Store.GetEffect(ctx, x.key("roster"))
	return err == nil
}

// begin records that the command passed validation and is being applied.
func (x *call) begin(ctx context.Context) error {
	return x.env.Store.PutEffect(ctx, x.key("roster"), store.EffectPending, "")
}

// finish marks the command done (👍) and re-renders the hub (roster,
// check-in board) and the named mentees' issues.
func (x *call) finish(ctx context.Context, mentees ...string) error {
	if err := x.env.Store.PutEffect(ctx, x.key("roster"), store.EffectDone, ""); err != nil {
		return err
	}
	if err := x.ok(ctx); err != nil {
		return err
	}
	targets := []string{TargetHub}
	for _, m := range mentees {
		targets = append(targets, TargetMentee(m))
	}
	return x.env.RequestRenders(ctx, x.c.ID, targets...)
}

// refuseAll refuses with every problem, one per line when there are several.
func (x *call) refuseAll(ctx context.Context, problems []string) error {
	if len(problems) == 1 {
		return x.refuse(ctx, problems[0])
	}
	return x.refuse(ctx, "this cannot be done:\n\n- "+strings.Join(problems, "\n- "))
}

// currentWeek is the cohort week of the comment: 1 before the start, one
// past the last week after the end.
func (x *call) currentWeek() int {
	if w, ok := x.cal.WeekOf(x.ev.CreatedAt); ok {
		return w
	}
	if x.cal.Before(x.ev.CreatedAt) {
		return 1
	}
	return x.cal.Weeks() + 1
}

// roster is the cohort's active people, for cohort's rule checks.
func (x *call) roster() cohort.Roster {
	var r cohort.Roster
	for _, m := range x.members {
		switch {
		case m.Status != store.StatusActive:
		case m.Role == store.RoleMentor:
			r.Mentors = append(r.Mentors, m.Handle)
		default:
			r.Mentees = append(r.Mentees, cohort.Mentee{Handle: m.Handle, Mentor: m.Mentor})
		}
	}
	return r
}

// menteeArg reads the mentee a command names in args[0], or, when it names
// none, the owner of the mentee issue it is on. rest is what follows.
func (x *call) menteeArg() (handle string, rest []string, why string) {
	args := x.cmd.Args
	if len(args) > 0 && (strings.HasPrefix(args[0], "@") || cohort.ValidHandle(args[0]) == nil) {
		h, err := cohort.NormalizeHandle(args[0])
		if err != nil {
			return "", nil, fmt.Sprintf("%s is not a GitHub handle: %v.", cohort.Echo(args[0]), err)
		}
		return h, args[1:], ""
	}
	if x.role == store.IssueMentee && x.owner != "" {
		return x.owner, args, ""
	}
	return "", nil, fmt.Sprintf("name the mentee: `/%s @mentee`.", x.cmd.Name)
}

// rosterMentee finds a mentee of the roster, whatever their status.
func (x *call) rosterMentee(handle string) (store.Member, bool) {
	for _, m := range x.members {
		if m.Role == store.RoleMentee && strings.EqualFold(m.Handle, handle) && m.Status != store.StatusRemoved {
			return m, true
		}
	}
	return store.Member{}, false
}

// runGraduate marks a mentee graduated (mentors, organizers): the label
// outcome/graduated on their issue now, the optional link kept for the
// final report. The mentee stays in the cohort; a second /graduate updates
// the link.
func runGraduate(ctx context.Context, x *call) error {
	h, rest, why := x.menteeArg()
	if why == "" && len(rest) > 1 {
		why = "usage: `/graduate @mentee [link]`, with at most one link (e.g. the OWNERS pull request)."
	}
	link := ""
	if why == "" && len(rest) == 1 {
		link, why = checkLink(rest[0])
	}
	m, found := x.rosterMentee(h)
	switch {
	case why != "":
	case !found:
		why = fmt.Sprintf("%s is not a mentee of this cohort.", x.named(h))
	case m.Status == store.StatusWithdrawn:
		why = fmt.Sprintf("@%s has withdrawn from the cohort; a withdrawn mentee cannot graduate with it.", m.Handle)
	}
	if why != "" {
		return x.refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	m.Outcome, m.OutcomeLink = store.OutcomeGraduated, link
	if err := x.env.Store.SaveRoster(ctx, x.c.ID, x.c.Spec, m); err != nil {
		return err
	}
	if err := x.outcomeLabel(ctx, m, LabelGraduated); err != nil {
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
	if err := x.g.EnsureLabels(ctx, x.c.Repo, labelSpecs(label)...); err != nil {
		return err
	}
	return x.g.AddLabels(ctx, x.c.Repo, m.Issue, label)
}

// runWithdraw withdraws a mentee: the mentee themself, a mentor or an
// organizer. The outcome is withdrawn, the mentee issue gets
// outcome/withdrawn and is closed as not planned, their tasks are released,
// and they leave the hub's roster; their row stays on the check-in board,
// the weeks before the withdrawal counted as they were.
func runWithdraw(ctx context.Context, x *call) error {
	h, rest, why := x.subject()
	if why == "" && len(rest) > 0 {
		why = "usage: `/withdraw [@mentee]`."
	}
	m, found := x.rosterMentee(h)
	resumed := x.resumed(ctx)
	switch {
	case why != "":
	case !found:
		why = fmt.Sprintf("%s is not a mentee of this cohort.", x.named(h))
	case resumed:
	case m.Status == store.StatusWithdrawn:
		why = fmt.Sprintf("@%s has already withdrawn.", m.Handle)
	case m.Outcome == store.OutcomeGraduated:
		why = fmt.Sprintf("@%s has graduated; a graduated mentee stays in the cohort until it ends.", m.Handle)
	}
	if why != "" {
		return x.refuse(ctx, why)
	}
	if err := x.begin(ctx); err != nil {
		return err
	}
	if err := x.leave(ctx, m, store.StatusWithdrawn, store.OutcomeWithdrawn); err != nil {
		return err
	}
	if err := x.outcomeLabel(ctx, m, LabelWithdrawn); err != nil {
		return err
	}
	if m.Issue != 0 {
		if err := x.g.CloseIssue(ctx, x.c.Repo, m.Issue, "not_planned"); err != nil {
			return err
		}
	}
	zerolog.Ctx(ctx).Info().Str("mentee", m.Handle).Str("by", x.ev.Author).Msg("mentee withdrew")
	return x.finish(ctx, m.Handle)
}

// leave takes a mentee off the roster (withdrawn or removed): the stored
// status, the week they left, the spec without them, then their tasks.
func (x *call) leave(ctx context.Context, m store.Member, status, outcome string) error {
	if m.Status == store.StatusActive {
		m.LeftWeek = x.currentWeek()
	}
	m.Status, m.Outcome, m.OutcomeLink = status, outcome, ""
	spec := x.c.Spec
	spec.Mentees = nil
	for _, sm := range x.c.Spec.Mentees {
		if !strings.EqualFold(sm.Handle, m.Handle) {
			spec.Mentees = append(spec.Mentees, sm)
		}
	}
	if err := x.env.Store.SaveRoster(ctx, x.c.ID, spec, m); err != nil {
		return err
	}
	x.c.Spec = spec
	return releaseMenteeTasks(ctx, x, m.Handle)
}

// named writes a handle for a reply: a mention for someone on the roster,
// which the command is about; for anyone else the handle as code, so that a
// command naming strangers cannot make the bot notify them (SPEC §5).
func (x *call) named(h string) string {
	if _, ok := x.member(h); ok {
		return "@" + h
	}
	return cohort.Echo("@" + h)
}
