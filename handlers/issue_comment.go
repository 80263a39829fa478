package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/bot"
)

// IssueComment handles `issue_comment` events: commands on cohort issues.
type IssueComment struct{ *Deps }

// Handles lists the events this handler takes.
func (h *IssueComment) Handles() []string { return []string{"issue_comment"} }

// listening are the labels of issues where cohortbot takes commands.
var listening = []string{kernel.LabelHub, kernel.LabelMentee, kernel.LabelTask}

// Relevant keeps human comments with a command line on a cohort's issues;
// the first check (a "/" at a line start) drops almost every comment
// without parsing the payload further.
func (h *IssueComment) Relevant(_ string, payload []byte) (bool, string) {
	action := gjson.GetBytes(payload, "action").String()
	body := gjson.GetBytes(payload, "comment.body").String()
	switch action {
	case "created", "deleted":
	case "edited":
		body += "\n" + gjson.GetBytes(payload, "changes.body.from").String()
	default:
		return false, "comment action " + action
	}
	if !hasCommandLine(body) {
		if action == "created" && taskActivity(payload) {
			return true, "" // activity on a mentoring task (SPEC §13)
		}
		return false, "no command line"
	}
	if senderIsBot(payload) || gjson.GetBytes(payload, "comment.user.type").String() == "Bot" {
		return false, "sent by a bot"
	}
	if action == "created" && strings.Contains(body, "/propose-cohort") {
		return true, "" // works on any issue of the mentoring repository
	}
	for _, l := range gjson.GetBytes(payload, "issue.labels.#.name").Array() {
		for _, want := range listening {
			if l.String() == want {
				return true, ""
			}
		}
	}
	return false, "not a cohort issue"
}

// hasCommandLine is a cheap pre-check: some line starts with "/" after at
// most three spaces. The real parser runs in the worker.
func hasCommandLine(body string) bool {
	b := []byte(body)
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		t := bytes.TrimLeft(line, " ")
		if len(line)-len(t) < 4 && len(t) > 1 && t[0] == '/' {
			return true
		}
	}
	return false
}

// Handle processes a stored issue_comment delivery (in a worker).
func (h *IssueComment) Handle(ctx context.Context, _, _ string, payload []byte) error {
	var ev github.IssueCommentEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return badPayload(err)
	}
	if ev.Issue == nil || ev.Repo == nil || ev.Comment == nil || ev.Comment.User == nil {
		return badPayload(errMissing("issue, repository or comment"))
	}
	ctx, _ = githubapp.PreparePRContext(ctx, ev.GetInstallation().GetID(), ev.Repo, ev.Issue.GetNumber())
	if ev.GetAction() == "created" && taskActivity(payload) {
		err := tasks.RecordTaskActivity(ctx, h.Env, ev.Repo.GetFullName(), ev.Issue.GetNumber(), ev.Comment.User.GetLogin(), ev.Comment.GetCreatedAt().Time)
		if err != nil {
			return err
		}
	}
	g, raw, err := h.client(ev.GetInstallation().GetID())
	if err != nil {
		return err
	}
	return bot.HandleComment(ctx, h.Env, g, h.configFor(raw), command.CommentEvent{
		Installation: ev.GetInstallation().GetID(),
		Repo:         ev.Repo.GetFullName(),
		Number:       ev.Issue.GetNumber(),
		Action:       ev.GetAction(),
		CommentID:    ev.Comment.GetID(),
		URL:          ev.Comment.GetHTMLURL(),
		Body:         ev.Comment.GetBody(),
		Author:       ev.Comment.User.GetLogin(),
		CreatedAt:    ev.Comment.GetCreatedAt().Time,
		UpdatedAt:    ev.Comment.GetUpdatedAt().Time,
	})
}
