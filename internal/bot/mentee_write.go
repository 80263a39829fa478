package bot

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/cohortbot/cohortbot/internal/store"
)

// writeMenteeIssue brings a recorded check-in (shown: its shownToken) to the
// mentee's tracking issue (SPEC §3 "Never overwrite people"):
//
//   - the log region is re-rendered into the body as GitHub returns it from
//     a read made just before the write, and only that region changes;
//   - checkin/week-N is added and checkin/missed removed one label at a
//     time (GitHub's add-labels and remove-a-label endpoints), never by
//     sending a whole label set, so a label a person adds or removes at any
//     moment stays as they left it.
//
// The read's labels only spare requests: a label already there is not added
// again, one not there is not removed. A lone check-in thus costs its 👍,
// this read, the body write, one label request and its share of the hub's
// re-render — about five requests, the price of never writing from a stale
// copy of the issue.
func (x *call) writeMenteeIssue(ctx context.Context, m store.Member, week int, shown string) error {
	if m.Issue == 0 {
		return nil
	}
	target := TargetMentee(m.Handle)
	key := renderKey(x.c.ID, target)
	unlock, err := x.env.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	label := WeekLabel(week)
	if err := x.g.EnsureLabels(ctx, x.c.Repo, labelSpecs(label)...); err != nil {
		return err
	}
	gen, _, err := x.env.Store.RenderGeneration(ctx, key)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	number, regions, err := regionContents(ctx, x.env, x.c, target)
	if err != nil || number == 0 {
		return err
	}
	cur, err := x.g.GetIssue(ctx, x.c.Repo, number)
	if err != nil {
		return err
	}
	if body := applyRegions(ctx, cur.Body, number, regions); body != cur.Body {
		if err := x.g.SetIssueBody(ctx, x.c.Repo, number, body); err != nil {
			return err
		}
	}
	if !hasLabel(cur.Labels, label) {
		if err := x.g.AddLabels(ctx, x.c.Repo, number, label); err != nil {
			return err
		}
	}
	if hasLabel(cur.Labels, LabelMissed) {
		// A 404 (removed meanwhile) counts as done: gh.RemoveLabel.
		if err := x.g.RemoveLabel(ctx, x.c.Repo, number, LabelMissed); err != nil {
			return err
		}
	}
	if gen > 0 {
		if err := x.env.Store.MarkRendered(ctx, key, gen); err != nil {
			return err
		}
	}
	return x.noteMenteeWritten(ctx, m, week, shown)
}

// noteMenteeWritten records what writeMenteeIssue did, the shown token last:
// a retry finds it only when everything before was done.
func (x *call) noteMenteeWritten(ctx context.Context, m store.Member, week int, shown string) error {
	wk := weekLabelKey(x.c.ID, m.Handle, week)
	if err := x.env.Store.PutEffect(ctx, wk, store.EffectDone, "on"); err != nil {
		return err
	}
	mk := missedLabelKey(x.c.ID, m.Handle)
	if e, err := x.env.Store.GetEffect(ctx, mk); err == nil && e.Value == "on" {
		if err := x.env.Store.PutEffect(ctx, mk, store.EffectDone, "off"); err != nil {
			return err
		}
	}
	return x.env.Store.PutEffect(ctx, shownKey(x.c, m, week), store.EffectDone, shown)
}

// hasLabel reports whether labels holds l (GitHub compares label names
// without regard to case).
func hasLabel(labels []string, l string) bool {
	return slices.ContainsFunc(labels, func(s string) bool { return strings.EqualFold(s, l) })
}
