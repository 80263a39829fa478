package checkin

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/gh"
)

// GitHub is every call the check-in flow (`/checkin`, `/away`, `/skip-week`) makes on GitHub beyond the
// registry's reply and reactions: labels and the mentee issue's body.
// The registry hands each command the union (command.CommentGitHub); a flow
// sees only its own part, so what it may do is in one place.
type GitHub interface {
	kernel.Labeler
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	SetIssueBody(ctx context.Context, repo string, number int, body string) error
	Unreact(ctx context.Context, repo string, commentID, reactionID int64) error
}

// call is a command being handled, as this flow sees it: the registry's
// call, its GitHub narrowed to this flow's, and the flow's own helpers as
// methods.
type call struct {
	*command.Call
	gh GitHub
}

func wrap(cc *command.Call) *call { return &call{Call: cc, gh: cc.GH} }
