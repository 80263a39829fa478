package command

import (
	"context"
	"encoding/json"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
)

// closedByThis reports whether this command is the /close-cohort that
// closed the cohort: its retry, after a tick finished the close it began, is
// answered like the first attempt, not refused for a cohort that has ended.
func (x *Call) closedByThis(ctx context.Context) bool {
	if x.Cmd.Name != "close-cohort" {
		return false
	}
	e, err := x.Env.Store.GetEffect(ctx, kernel.CloseKey(x.Cohort.ID))
	var cl kernel.Closing
	return err == nil && json.Unmarshal([]byte(e.Value), &cl) == nil && cl.Comment == x.Event.CommentID
}
