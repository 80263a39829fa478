package handlers

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/bot"
)

// Issues handles `issues` events: new-cohort requests being opened, edited,
// reopened or labelled, and issues labelled as mentoring tasks, their label
// removed, or closed.
type Issues struct{ *Deps }

// Handles lists the events this handler takes.
func (h *Issues) Handles() []string { return []string{"issues"} }

// Relevant keeps the deliveries of new-cohort requests (requestRelevant)
// and of mentoring tasks (taskRelevant).
func (h *Issues) Relevant(_ string, payload []byte) (bool, string) {
	ok, why := requestRelevant(payload)
	if ok {
		return true, ""
	}
	if editRelevant(payload) || labelChangeRelevant(payload) {
		return true, ""
	}
	if ok, twhy := taskRelevant(payload, "issue"); ok {
		return true, ""
	} else if !strings.HasPrefix(twhy, "action ") {
		why += "; " + twhy
	}
	return false, why
}

// requestRelevant keeps only open issues labelled cohort/request that a
// human opened, edited, reopened or labelled.
func requestRelevant(payload []byte) (bool, string) {
	switch gjson.GetBytes(payload, "action").String() {
	case "opened", "edited", "reopened", "labeled":
	default:
		return false, "action is not about a request"
	}
	if senderIsBot(payload) {
		return false, "sent by a bot"
	}
	issue := gjson.GetBytes(payload, "issue")
	if issue.Get("state").String() != "open" {
		return false, "issue is closed"
	}
	for _, l := range issue.Get("labels.#.name").Array() {
		if l.String() == bot.LabelRequest {
			return true, ""
		}
	}
	return false, "issue is not labelled " + bot.LabelRequest
}

// editRelevant keeps a human's edit of the body of an open hub or mentee
// issue: cohortbot checks that none of its writes overwrote it.
func editRelevant(payload []byte) bool {
	if gjson.GetBytes(payload, "action").String() != "edited" || !gjson.GetBytes(payload, "changes.body").Exists() ||
		senderIsBot(payload) {
		return false
	}
	issue := gjson.GetBytes(payload, "issue")
	return issue.Get("state").String() == "open" && (hasLabel(issue, bot.LabelHub) || hasLabel(issue, bot.LabelMentee))
}

// labelChangeRelevant keeps a human's label change on an open mentee
// issue: cohortbot checks that no check-in's write undid it.
func labelChangeRelevant(payload []byte) bool {
	switch gjson.GetBytes(payload, "action").String() {
	case "labeled", "unlabeled":
	default:
		return false
	}
	issue := gjson.GetBytes(payload, "issue")
	return !senderIsBot(payload) && issue.Get("state").String() == "open" && hasLabel(issue, bot.LabelMentee) &&
		gjson.GetBytes(payload, "label.name").String() != ""
}

// Handle processes a stored issues delivery (in a worker).
func (h *Issues) Handle(ctx context.Context, _, _ string, payload []byte) error {
	var ev github.IssuesEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return badPayload(err)
	}
	if ev.Issue == nil || ev.Repo == nil || ev.Sender == nil {
		return badPayload(errMissing("issue, repository or sender"))
	}
	ctx, _ = githubapp.PreparePRContext(ctx, ev.GetInstallation().GetID(), ev.Repo, ev.Issue.GetNumber())
	g, raw, err := h.client(ev.GetInstallation().GetID())
	if err != nil {
		return err
	}
	if editRelevant(payload) {
		return bot.HandleIssueEdit(ctx, h.Env, g, bot.IssueEdit{
			Repo: ev.Repo.GetFullName(), Number: ev.Issue.GetNumber(), Body: ev.Issue.GetBody(),
			Sender: ev.Sender.GetLogin(), UpdatedAt: ev.Issue.GetUpdatedAt().Time,
		})
	}
	if labelChangeRelevant(payload) {
		err := bot.HandleIssueLabel(ctx, h.Env, g, bot.IssueLabelChange{
			Repo: ev.Repo.GetFullName(), Number: ev.Issue.GetNumber(), Action: ev.GetAction(), Label: ev.GetLabel().GetName(),
			Sender: ev.Sender.GetLogin(), UpdatedAt: ev.Issue.GetUpdatedAt().Time,
		})
		if err != nil {
			return err
		}
		if ok, _ := taskRelevant(payload, "issue"); !ok {
			return nil
		}
	}
	if ok, _ := requestRelevant(payload); !ok {
		return bot.HandleTaskEvent(ctx, h.Env, g, h.configFor(raw), bot.TaskEvent{
			Installation: ev.GetInstallation().GetID(),
			Repo:         ev.Repo.GetFullName(),
			Number:       ev.Issue.GetNumber(),
			Title:        ev.Issue.GetTitle(),
			URL:          ev.Issue.GetHTMLURL(),
			Action:       ev.GetAction(),
			Label:        ev.GetLabel().GetName(),
			Sender:       ev.Sender.GetLogin(),
			// GitHub's default close is "completed"; older payloads omit it.
			Completed: ev.Issue.GetStateReason() == "completed" || ev.Issue.GetStateReason() == "",
		})
	}
	return bot.HandleRequest(ctx, h.Env, g, h.configFor(raw), bot.RequestEvent{
		Installation: ev.GetInstallation().GetID(),
		Repo:         ev.Repo.GetFullName(),
		IssueID:      ev.Issue.GetID(),
		Number:       ev.Issue.GetNumber(),
		Body:         ev.Issue.GetBody(),
		State:        ev.Issue.GetState(),
		Sender:       ev.Sender.GetLogin(),
		URL:          ev.Issue.GetHTMLURL(),
	})
}

type errMissing string

func (e errMissing) Error() string { return "payload lacks " + string(e) }
