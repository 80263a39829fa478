package schedule

import (
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
)

// GitHub is every call `/close-cohort` makes: everything the close does at a tick.
// The registry hands each command the union (command.CommentGitHub); a flow
// sees only its own part, so what it may do is in one place.
type GitHub interface {
	kernel.TickGitHub
}

// call is a command being handled, as this flow sees it: the registry's
// call, its GitHub narrowed to this flow's, and the flow's own helpers as
// methods.
type call struct {
	*command.Call
	gh GitHub
}

func wrap(cc *command.Call) *call { return &call{Call: cc, gh: cc.GH} }
