package checkin

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
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
	target := kernel.TargetMentee(m.Handle)
	key := kernel.RenderKey(x.Cohort.ID, target)
	unlock, err := x.Env.Lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	label := kernel.WeekLabel(week)
	if err := x.GH.EnsureLabels(ctx, x.Cohort.Repo, kernel.LabelSpecs(label)...); err != nil {
		return err
	}
	gen, _, err := x.Env.Store.RenderGeneration(ctx, key)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	number, regions, err := render.RegionContents(ctx, x.Env, x.Cohort, target)
	if err != nil || number == 0 {
		return err
	}
	cur, err := x.GH.GetIssue(ctx, x.Cohort.Repo, number)
	if err != nil {
		return err
	}
	if body := render.ApplyRegions(ctx, cur.Body, number, regions); body != cur.Body {
		if err := x.GH.SetIssueBody(ctx, x.Cohort.Repo, number, body); err != nil {
			return err
		}
	}
	if !kernel.HasLabel(cur.Labels, label) {
		if err := x.GH.AddLabels(ctx, x.Cohort.Repo, number, label); err != nil {
			return err
		}
	}
	if kernel.HasLabel(cur.Labels, kernel.LabelMissed) {
		// A 404 (removed meanwhile) counts as done: gh.RemoveLabel.
		if err := x.GH.RemoveLabel(ctx, x.Cohort.Repo, number, kernel.LabelMissed); err != nil {
			return err
		}
	}
	if gen > 0 {
		if err := x.Env.Store.MarkRendered(ctx, key, gen); err != nil {
			return err
		}
	}
	return x.noteMenteeWritten(ctx, m, week, shown)
}

// noteMenteeWritten records what writeMenteeIssue did, the shown token last:
// a retry finds it only when everything before was done.
func (x *call) noteMenteeWritten(ctx context.Context, m store.Member, week int, shown string) error {
	wk := kernel.WeekLabelKey(x.Cohort.ID, m.Handle, week)
	if err := x.Env.Store.PutEffect(ctx, wk, store.EffectDone, "on"); err != nil {
		return err
	}
	mk := kernel.MissedLabelKey(x.Cohort.ID, m.Handle)
	if e, err := x.Env.Store.GetEffect(ctx, mk); err == nil && e.Value == "on" {
		if err := x.Env.Store.PutEffect(ctx, mk, store.EffectDone, "off"); err != nil {
			return err
		}
	}
	return x.Env.Store.PutEffect(ctx, shownKey(x.Cohort, m, week), store.EffectDone, shown)
}
