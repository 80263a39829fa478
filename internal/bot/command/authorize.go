package command

import (
	"context"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
)

// allowed reports whether the author may use command c here: the one
// authorisation check, made before the command runs and by /cohort-help.
// Roles known from the roster are tried first, so that the organizer
// lookup (a GitHub call) is made only when it decides.
func (x *Call) Allowed(ctx context.Context, c Command) (bool, error) {
	author := x.Event.Author
	switch {
	case c.Who&Anyone != 0,
		c.Who&Mentee != 0 && x.IsActiveMentee(author),
		c.Who&Mentor != 0 && x.IsMentor(author),
		c.Who&Self != 0 && x.isSelf():
		return true, nil
	}
	if c.Who&TaskMentor != 0 {
		if ok, err := x.isTaskMentor(ctx); err != nil || ok {
			return ok, err
		}
	}
	if c.Who&Organizer != 0 {
		return x.isOrganizer(ctx)
	}
	return false, nil
}

// refusal says who may use c, from its declaration: "only the cohort's
// mentors and organizers (…) may use `/graduate`."
func (x *Call) Refusal(c Command) string {
	var who []string
	for _, r := range roleWords {
		switch {
		case c.Who&r.role == 0:
		case r.role == Organizer && c.Who == Organizer:
			who = append(who, kernel.OrganizersPhrase(x.Cfg))
		case r.role == Organizer:
			who = append(who, "organizers") // beside others, kept short
		default:
			who = append(who, r.quote)
		}
	}
	list := strings.Join(who, ", ")
	if n := len(who); n > 1 {
		list = strings.Join(who[:n-1], ", ") + " and " + who[n-1]
	}
	return "only " + list + " may use `/" + c.Name + "`."
}

// subject is the mentee a command about one mentee is about: the handle
// named, else the mentee issue's owner, else a mentee of the roster saying
// it of themself.
func (x *Call) Subject() (handle string, rest []string, why string) {
	h, rest, why := x.MenteeArg()
	if _, onRoster := x.RosterMentee(x.Event.Author); why != "" && len(x.Cmd.Args) == 0 && onRoster {
		return x.Event.Author, rest, ""
	}
	return h, rest, why
}

// isSelf reports whether the author is a mentee of the roster and the
// command is about themself.
func (x *Call) isSelf() bool {
	_, onRoster := x.RosterMentee(x.Event.Author)
	h, _, _ := x.Subject()
	return onRoster && strings.EqualFold(h, x.Event.Author)
}

// isTaskMentor reports whether the author is an active mentor of one of
// the cohorts of the task the comment is on (its cohort, or while pending
// each cohort it may belong to).
func (x *Call) isTaskMentor(ctx context.Context) (bool, error) {
	t, err := x.Env.Store.Task(ctx, x.Event.Repo, x.Event.Number)
	if err != nil {
		return false, err
	}
	ids := t.Candidates
	if t.State != store.TaskPending || len(ids) == 0 {
		ids = []int64{kernel.TaskLockID(t)}
	}
	for _, id := range ids {
		members, err := x.Env.Store.Members(ctx, id)
		if err != nil {
			return false, err
		}
		for _, m := range members {
			if m.Role == store.RoleMentor && m.Status == store.StatusActive && strings.EqualFold(m.Handle, x.Event.Author) {
				return true, nil
			}
		}
	}
	return false, nil
}
