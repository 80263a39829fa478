package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// floodEvent names one event of a comment for the budget: its creation and
// each of its edits are charged separately, a redelivery of the same event
// is not.
func floodEvent(ev CommentEvent) string {
	return fmt.Sprintf("%d:%s:%d:%s", ev.CommentID, ev.Action, ev.UpdatedAt.UnixNano(), kernel.Hash(ev.Body))
}

// onRoster reports whether user is on the cohort's roster (any role, not
// removed): they get the members' budget.
func onRoster(members []store.Member, user string) bool {
	for _, m := range members {
		if strings.EqualFold(m.Handle, user) && m.Status != store.StatusRemoved {
			return true
		}
	}
	return false
}

// admit applies the author's command budget to the commands an event acts
// on: false means the event must be dropped (after the one "slow down"
// answer, if due, recorded as the reply's first part).
func Admit(ctx context.Context, e *kernel.Env, g CommentGitHub, ev CommentEvent, run []Slot, members []store.Member) (bool, error) {
	cost := len(run)
	if e.Flood == nil || cost == 0 {
		return true, nil
	}
	member := onRoster(members, ev.Author)
	ok, warn := e.Flood.Decide(ev.Installation, ev.Author, member, floodEvent(ev), cost, e.Now())
	if ok {
		return true, nil
	}
	zerolog.Ctx(ctx).Warn().Str("user", ev.Author).Int("commands", cost).Bool("answered", warn).
		Msg("command budget exhausted; comment dropped")
	if !warn {
		return false, nil
	}
	_, burst := e.Flood.Budget(member)
	x := &Call{Env: e, GH: g, Event: ev, Cmd: run[0].Cmd, Idx: floodSlot}
	return false, x.Refuse(ctx, fmt.Sprintf("slow down: you sent more than %d cohortbot commands in a minute. "+
		"Nothing was done for this comment, and your next commands are ignored without an answer until a minute has passed; then post them again.",
		burst))
}
