package handlers

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/request"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/tidwall/gjson"
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
	if ok, _ := waitlistRelevant(payload); ok {
		return true, ""
	}
	if ok, twhy := taskRelevant(payload, "issue"); ok {
		return true, ""
	} else if !strings.HasPrefix(twhy, "action ") {
		why += "; " + twhy
	}
	return false, why
}

// requestRelevant keeps only open issues that a human opened, edited,
// reopened or labelled and that are requests by request.IsRequest: labelled
// cohort/request, or — the first request of a fresh repository, whose form
// label GitHub dropped because it did not exist yet — holding the form's
// headings. A body without two "###" cannot hold them, which spares parsing
// the body of nearly every other issue.
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
	var labels []string
	labelled := false
	for _, l := range issue.Get("labels.#.name").Array() {
		labels = append(labels, l.String())
		labelled = labelled || strings.EqualFold(l.String(), kernel.LabelRequest)
	}
	body := issue.Get("body").String()
	if !labelled && strings.Count(body, "###") < 2 {
		return false, "issue is not labelled " + kernel.LabelRequest + " and holds no form"
	}
	if !request.IsRequest(labels, body) {
		return false, "issue is not a request (no " + kernel.LabelRequest + " label nor the form's headings, or a cohort's own issue)"
	}
	return true, ""
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
	isRequest, _ := requestRelevant(payload)
	if ok, _ := waitlistRelevant(payload); ok && !isRequest {
		return h.handleWaitlist(ctx, g, raw, &ev)
	}
	if !isRequest {
		return tasks.HandleTaskEvent(ctx, h.Env, g, h.configFor(raw), tasks.TaskEvent{
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
	labels := labelNames(ev.Issue.Labels)
	return request.HandleRequest(ctx, h.Env, g, h.configFor(raw), request.RequestEvent{
		Installation: ev.GetInstallation().GetID(),
		Repo:         ev.Repo.GetFullName(),
		IssueID:      ev.Issue.GetID(),
		Number:       ev.Issue.GetNumber(),
		Body:         ev.Issue.GetBody(),
		Labels:       labels,
		State:        ev.Issue.GetState(),
		Sender:       ev.Sender.GetLogin(),
		URL:          ev.Issue.GetHTMLURL(),
	})
}

type errMissing string

func (e errMissing) Error() string { return "payload lacks " + string(e) }

// labelNames are the names of an issue's labels.
func labelNames(ls []*github.Label) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.GetName())
	}
	return out
}
