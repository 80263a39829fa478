package handlers

import (
	"context"
	"encoding/json"

	"github.com/cohortbot/cohortbot/internal/bot/tasks"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// PullRequest handles `pull_request` events: a pull request labelled as a
// mentoring task, its label removed, or the pull request closed.
type PullRequest struct{ *Deps }

// Handles lists the events this handler takes.
func (h *PullRequest) Handles() []string { return []string{"pull_request"} }

// Relevant keeps labels added by humans to open pull requests, and
// removals and closings on mentoring tasks (see taskRelevant).
func (h *PullRequest) Relevant(_ string, payload []byte) (bool, string) {
	return taskRelevant(payload, "pull_request")
}

// Handle processes a stored pull_request delivery (in a worker).
func (h *PullRequest) Handle(ctx context.Context, _, _ string, payload []byte) error {
	var ev github.PullRequestEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return badPayload(err)
	}
	pr := ev.PullRequest
	if pr == nil || ev.Repo == nil || ev.Sender == nil {
		return badPayload(errMissing("pull_request, repository or sender"))
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
		Action:       ev.GetAction(),
		Label:        ev.GetLabel().GetName(),
		Sender:       ev.Sender.GetLogin(),
		Completed:    pr.GetMerged(),
		At:           pr.GetUpdatedAt().Time,
	})
}
