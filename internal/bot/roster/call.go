package roster

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/gh"
)

// GitHub is every call roster changes make: comments, labels, the mentee issues they create,
// reopen, retitle and close, and their assignees.
// The registry hands each command the union (command.CommentGitHub); a flow
// sees only its own part, so what it may do is in one place.
type GitHub interface {
	kernel.RequestGitHub
	kernel.RosterEditor
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
}

// call is a command being handled, as this flow sees it: the registry's
// call, its GitHub narrowed to this flow's, and the flow's own helpers as
// methods.
type call struct {
	*command.Call
	gh GitHub
}

func wrap(cc *command.Call) *call { return &call{Call: cc, gh: cc.GH} }
