package handlers

import (
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"

	"github.com/tidwall/gjson"
)

// taskRelevant is the intake rule for mentoring tasks (SPEC §4) on the
// issue or pull request under key. Who mentors whom, and which label a
// cohort uses as its task label (configurable per mentoring repository), are
// database and config questions, so intake keeps every label a human adds
// to an open issue or PR, except cohortbot's own; the worker's first step is
// one indexed query that drops labels from anyone who mentors no active
// cohort, before any GitHub call. Removals, closings and reviews matter only
// on issues already carrying mentoring/task, which the bot puts on every
// task (and on a task awaiting its mentor's /task-cohort answer).
func taskRelevant(payload []byte, key string) (bool, string) {
	item := gjson.GetBytes(payload, key)
	label := gjson.GetBytes(payload, "label.name").String()
	switch action := gjson.GetBytes(payload, "action").String(); action {
	case "labeled":
		switch {
		case senderIsBot(payload):
			return false, "labelled by a bot"
		case isBotLabel(label):
			return false, "one of cohortbot's own labels"
		case item.Get("state").String() != "open":
			return false, key + " is closed"
		}
		return true, ""
	case "unlabeled":
		if label == kernel.LabelTask || hasLabel(item, kernel.LabelTask) {
			return true, ""
		}
	case "closed":
		if hasLabel(item, kernel.LabelTask) {
			return true, ""
		}
	case "synchronize":
		if hasLabel(item, kernel.LabelTask) && !senderIsBot(payload) {
			return true, "" // commits pushed: activity (SPEC §13)
		}
	default:
		return false, "action " + action + " is not about tasks"
	}
	return false, "not a mentoring task"
}

// botLabelPrefixes are the namespaces of the labels cohortbot writes; none
// of them can be a task label.
var botLabelPrefixes = []string{"cohort/", "checkin/", "outcome/", "in-cohort/", "mentee/", kernel.LabelTask}

func isBotLabel(name string) bool {
	if name == "" {
		return true
	}
	for _, p := range botLabelPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func hasLabel(item gjson.Result, name string) bool {
	for _, l := range item.Get("labels.#.name").Array() {
		if l.String() == name {
			return true
		}
	}
	return false
}
