package handlers

import (
	"context"
	"encoding/json"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/tidwall/gjson"
)

// PullRequestReview handles `pull_request_review` events: a review
// submitted on a mentoring task completes it when the mentee wrote it.
type PullRequestReview struct{ *Deps }

// Handles lists the events this handler takes.
func (h *PullRequestReview) Handles() []string { return []string{"pull_request_review"} }

// Relevant keeps reviews submitted by humans on pull requests carrying
// mentoring/task.
func (h *PullRequestReview) Relevant(_ string, payload []byte) (bool, string) {
	switch {
	case gjson.GetBytes(payload, "action").String() != "submitted":
		return false, "review not submitted"
	case senderIsBot(payload):
		return false, "reviewed by a bot"
	case !hasLabel(gjson.GetBytes(payload, "pull_request"), kernel.LabelTask):
		return false, "not a mentoring task"
	}
	return true, ""
}

// Handle processes a stored pull_request_review delivery (in a worker).
func (h *PullRequestReview) Handle(ctx context.Context, _, _ string, payload []byte) error {
	var ev github.PullRequestReviewEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return badPayload(err)
	}
	pr := ev.PullRequest
	if pr == nil || ev.Repo == nil || ev.Review == nil || ev.Review.User == nil {
		return badPayload(errMissing("pull_request, repository or review"))
	}
	ctx, _ = githubapp.PreparePRContext(ctx, ev.GetInstallation().GetID(), ev.Repo, pr.GetNumber())
	g, raw, err := h.client(ev.GetInstallation().GetID())
	if err != nil {
		return err
	}
	return tasks.HandleTaskEvent(ctx, h.Env, g, h.configFor(raw), tasks.TaskEvent{
		Installation: ev.GetInstallation().GetID(),
		Repo:         ev.Repo.GetFullName(),
		Number:       pr.GetNumber(),
		PR:           true,
		Title:        pr.GetTitle(),
		URL:          pr.GetHTMLURL(),
		Action:       tasks.TaskReviewed,
		Sender:       ev.Review.User.GetLogin(),
	})
}
