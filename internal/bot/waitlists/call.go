package waitlists

import (
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
)

// GitHub is every call `/propose-cohort` makes: the draft request issue and its label.
// The registry hands each command the union (command.CommentGitHub); a flow
// sees only its own part, so what it may do is in one place.
type GitHub interface {
	kernel.Creator
	kernel.Labeler
}

// call is a command being handled, as this flow sees it: the registry's
// call, its GitHub narrowed to this flow's, and the flow's own helpers as
// methods.
type call struct {
	*command.Call
	gh GitHub
}

func wrap(cc *command.Call) *call { return &call{Call: cc, gh: cc.GH} }
