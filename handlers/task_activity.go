package handlers

import (
	"bytes"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/tidwall/gjson"
)

// taskActivity reports an issue_comment that may be activity on a mentoring
// task (SPEC §13): written by a human on an issue or pull request carrying
// mentoring/task. Whether the writer is the task's mentee is the worker's
// one indexed update.
// taskLabelJSON is the task label's name as it appears in a payload.
var taskLabelJSON = []byte(`"` + kernel.LabelTask + `"`)

func taskActivity(payload []byte) bool {
	// Nearly every comment is on an issue that is no task: the label's
	// name nowhere in the payload says so without parsing it (one scan, a
	// few hundred nanoseconds, where the three lookups below cost tens of
	// microseconds on every irrelevant delivery).
	if !bytes.Contains(payload, taskLabelJSON) {
		return false
	}
	if senderIsBot(payload) || gjson.GetBytes(payload, "comment.user.type").String() == "Bot" {
		return false
	}
	return hasLabel(gjson.GetBytes(payload, "issue"), kernel.LabelTask)
}
