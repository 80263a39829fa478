package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/gh"
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
	if err != nil || !ok || w.OutsideSHA == "" || ev.UpdatedAt.Before(w.Base) || landedBefore(w, ev.UpdatedAt) {
		return err // we never wrote this body, our copy had the edit, or our last write came well before it
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

// IssueLabelChange is a human adding or removing a label of a mentee issue
// (issues.labeled or issues.unlabeled).
type IssueLabelChange struct {
	Repo      string
	Number    int
	Action    string // labeled or unlabeled
	Label     string
	Sender    string
	UpdatedAt time.Time
}

// LabelRepairGitHub is what redoing a label change needs.
type LabelRepairGitHub interface {
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	AddLabels(ctx context.Context, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, repo string, number int, label string) error
}

// HandleIssueLabel redoes a human's label change of a mentee issue that a
// check-in's write undid. That write replaces the issue's whole label set,
// computed from a copy of the issue; a label added in between is dropped by
// it, one removed in between comes back. When the change is newer than the
// copy, the set written contradicts it, and the issue still shows that
// contradiction, the change is made again.
func HandleIssueLabel(ctx context.Context, env *Env, g LabelRepairGitHub, ev IssueLabelChange) error {
	added := ev.Action == "labeled"
	undone := func(w store.IssueWrite) bool {
		return !w.LabelsBase.IsZero() && !ev.UpdatedAt.Before(w.LabelsBase) &&
			slices.ContainsFunc(w.Labels, func(l string) bool { return strings.EqualFold(l, ev.Label) }) != added
	}
	w, ok, err := env.Store.LastIssueWrite(ctx, ev.Repo, ev.Number)
	if err != nil || !ok || !undone(w) || landedBefore(w, ev.UpdatedAt) {
		return err
	}
	c, _, mentee, err := env.Store.CohortByIssue(ctx, ev.Repo, ev.Number)
	if errors.Is(err, store.ErrNotFound) || err == nil && mentee == "" {
		return nil
	}
	if err != nil {
		return err
	}
	unlock, err := env.lock(ctx, renderKey(c.ID, TargetMentee(mentee)))
	if err != nil {
		return err
	}
	defer unlock()
	if w, _, err = env.Store.LastIssueWrite(ctx, ev.Repo, ev.Number); err != nil || !undone(w) {
		return err
	}
	cur, err := g.GetIssue(ctx, ev.Repo, ev.Number)
	if err != nil {
		return err
	}
	has := slices.ContainsFunc(cur.Labels, func(l string) bool { return strings.EqualFold(l, ev.Label) })
	if has == added {
		return nil
	}
	log := zerolog.Ctx(ctx).Warn().Str("repo", ev.Repo).Int("issue", ev.Number).Str("label", ev.Label).Str("by", ev.Sender)
	if added {
		log.Msg("a check-in's write dropped a label a human added a moment before it; adding it again")
		return g.AddLabels(ctx, ev.Repo, ev.Number, ev.Label)
	}
	log.Msg("a check-in's write brought back a label a human removed a moment before it; removing it again")
	return g.RemoveLabel(ctx, ev.Repo, ev.Number, ev.Label)
}

// landedBefore reports that cohortbot's last write to the issue was sent
// well before a change made at t (GitHub's clock), so it cannot have undone
// it: most human edits of a hub (ticking a topic) cost no request at all.
func landedBefore(w store.IssueWrite, t time.Time) bool {
	return w.Written.Before(t.Add(-copyMargin))
}
