package handlers

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/bot/waitlists"

	"github.com/google/go-github/v62/github"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/waitlist"
)

// waitlistRelevant keeps the deliveries about interests and mentor offers
// (SPEC §11): issues labelled with the forms' or the waitlist's labels, or
// holding a form's distinctive heading, that a person opened, edited,
// reopened or labelled while open — or that anyone closed, deleted or
// transferred, which takes them off the waitlist. A request is a request
// first (requestRelevant is asked before).
func waitlistRelevant(payload []byte) (bool, string) {
	issue := gjson.GetBytes(payload, "issue")
	switch gjson.GetBytes(payload, "action").String() {
	case "opened", "edited", "reopened", "labeled":
		if senderIsBot(payload) {
			return false, "sent by a bot"
		}
		if issue.Get("state").String() != "open" {
			return false, "issue is closed"
		}
	case "closed", "deleted", "transferred":
	default:
		return false, "action is not about the waitlist"
	}
	var labels []string
	for _, l := range issue.Get("labels.#.name").Array() {
		labels = append(labels, l.String())
	}
	if waitlist.KindOf(labels, issue.Get("body").String()) == "" {
		return false, "issue is neither an interest nor a mentor offer"
	}
	return true, ""
}

// handleWaitlist passes an interest or offer to the waitlist flow.
func (h *Issues) handleWaitlist(ctx context.Context, g *gh.Client, raw *github.Client, ev *github.IssuesEvent) error {
	labels := labelNames(ev.Issue.Labels)
	return waitlists.HandleWaitlist(ctx, h.Env, g, h.configFor(raw), waitlists.WaitlistEvent{
		Installation: ev.GetInstallation().GetID(),
		Repo:         ev.Repo.GetFullName(),
		IssueID:      ev.Issue.GetID(),
		Number:       ev.Issue.GetNumber(),
		Body:         ev.Issue.GetBody(),
		Labels:       labels,
		State:        ev.Issue.GetState(),
		Action:       ev.GetAction(),
		Author:       ev.Issue.GetUser().GetLogin(),
		CreatedAt:    ev.Issue.GetCreatedAt().Time,
	})
}
