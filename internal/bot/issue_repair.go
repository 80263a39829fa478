package bot

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// IssueEdit is a human's edit of the body of a hub or mentee issue
// (issues.edited with changes.body).
type IssueEdit struct {
	Repo      string
	Number    int
	Body      string
	Sender    string
	UpdatedAt time.Time // GitHub's updated_at after the edit
}

// RepairGitHub is what putting a human edit back needs.
type RepairGitHub interface {
	RenderGitHub
}

// HandleIssueEdit puts back a human's edit of a hub or mentee issue that a
// write of cohortbot's overwrote. cohortbot rewrites its regions from a copy
// of the issue — the check-in webhook's, or a read a moment before the write
// — so an edit made in between is missing from what it sends. The edit's own
// webhook tells: if it is newer than the copy our last body write was based
// on, the body on GitHub is still exactly what we wrote, and the edit's human
// text is not in it, the human text is restored with our current regions.
// Edits older than our copy, or followed by later changes, are left alone
// (a later edit's own webhook is handled the same way in turn).
func HandleIssueEdit(ctx context.Context, env *Env, g RepairGitHub, ev IssueEdit) error {
	w, ok, err := env.Store.LastIssueWrite(ctx, ev.Repo, ev.Number)
	if err != nil || !ok || w.OutsideSHA == "" || ev.UpdatedAt.Before(w.Base) {
		return err // we never wrote this body, or our copy already had the edit
	}
	if outsideSHA(ev.Body) == w.OutsideSHA {
		return nil // our write kept this text
	}
	c, role, mentee, err := env.Store.CohortByIssue(ctx, ev.Repo, ev.Number)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	target := TargetHub
	if role == store.IssueMentee {
		target = TargetMentee(mentee)
	}
	unlock, err := env.lock(ctx, renderKey(c.ID, target))
	if err != nil {
		return err
	}
	defer unlock()
	if w, _, err = env.Store.LastIssueWrite(ctx, ev.Repo, ev.Number); err != nil || ev.UpdatedAt.Before(w.Base) {
		return err // restored meanwhile from a newer edit
	}
	cur, err := g.GetIssue(ctx, ev.Repo, ev.Number)
	if err != nil {
		return err
	}
	if outsideSHA(cur.Body) != w.OutsideSHA || templates.Outside(cur.Body) == templates.Outside(ev.Body) {
		return nil // changed since our write, or the edit is there
	}
	body := templates.CopyRegions(cur.Body, ev.Body)
	zerolog.Ctx(ctx).Warn().Str("repo", ev.Repo).Int("issue", ev.Number).Str("editor", ev.Sender).
		Msg("a write of ours overwrote a human edit of the issue made a moment before it; putting the edit back")
	if err := g.SetIssueBody(ctx, ev.Repo, ev.Number, body); err != nil {
		return err
	}
	return env.noteBody(ctx, ev.Repo, ev.Number, ev.UpdatedAt, body)
}
