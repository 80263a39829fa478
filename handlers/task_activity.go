package handlers

import (
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/bot"
)

// taskActivity reports an issue_comment that may be activity on a mentoring
// task (SPEC §13): written by a human on an issue or pull request carrying
// mentoring/task. Whether the writer is the task's mentee is the worker's
// one indexed update.
func taskActivity(payload []byte) bool {
	if senderIsBot(payload) || gjson.GetBytes(payload, "comment.user.type").String() == "Bot" {
		return false
	}
	return hasLabel(gjson.GetBytes(payload, "issue"), bot.LabelTask)
}
