package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// reload reads the cohort and its roster afresh: an earlier command of the
// same comment ("/add-mentee @a" then "/add-mentee @b") may have changed
// them since the comment's handling began.
func (x *Call) reload(ctx context.Context) error {
	c, err := x.Env.Store.Cohort(ctx, x.Cohort.ID)
	if err != nil {
		return err
	}
	if x.Members, err = x.Env.Store.Members(ctx, c.ID); err != nil {
		return err
	}
	if x.Cal, err = cohort.NewCalendar(c.Spec); err != nil {
		return err
	}
	x.Cohort = c
	return nil
}

// CurrentWeek is the cohort week of the comment: 1 before the start, one
// past the last week after the end.
func (x *Call) CurrentWeek() int {
	if w, ok := x.Cal.WeekOf(x.Event.CreatedAt); ok {
		return w
	}
	if x.Cal.Before(x.Event.CreatedAt) {
		return 1
	}
	return x.Cal.Weeks() + 1
}

// Roster is the cohort's active people, for cohort's rule checks.
func (x *Call) Roster() cohort.Roster {
	var r cohort.Roster
	for _, m := range x.Members {
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

// MenteeArg reads the mentee a command names in args[0], or, when it names
// none, the owner of the mentee issue it is on. rest is what follows.
func (x *Call) MenteeArg() (handle string, rest []string, why string) {
	args := x.Cmd.Args
	if len(args) > 0 && (strings.HasPrefix(args[0], "@") || cohort.ValidHandle(args[0]) == nil) {
		h, err := cohort.NormalizeHandle(args[0])
		if err != nil {
			return "", nil, fmt.Sprintf("%s is not a GitHub handle: %v.", cohort.Echo(args[0]), err)
		}
		return h, args[1:], ""
	}
	if x.Role == store.IssueMentee && x.Owner != "" {
		return x.Owner, args, ""
	}
	return "", nil, fmt.Sprintf("name the mentee: `/%s @mentee`.", x.Cmd.Name)
}

// RosterMentee finds a mentee of the roster, whatever their status.
func (x *Call) RosterMentee(handle string) (store.Member, bool) {
	for _, m := range x.Members {
		if m.Role == store.RoleMentee && strings.EqualFold(m.Handle, handle) && m.Status != store.StatusRemoved {
			return m, true
		}
	}
	return store.Member{}, false
}

// Named writes a handle for a reply: a mention for someone on the roster,
// which the command is about; for anyone else — a removed mentee or mentor
// is off the roster — the handle as code, so that a command naming
// strangers cannot make the bot notify them (SPEC §5).
func (x *Call) Named(h string) string {
	if m, ok := x.Member(h); ok && m.Status != store.StatusRemoved {
		return "@" + h
	}
	return cohort.Echo("@" + h)
}
