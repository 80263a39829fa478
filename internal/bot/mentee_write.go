package bot

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// copyMargin is how long before a webhook's copy of an issue (its
// updated_at) cohortbot's last write to that issue must have been sent for
// the copy to be trusted. It covers the time GitHub takes to apply a write
// and the skew between GitHub's clock and ours.
const copyMargin = 10 * time.Second

// writeMenteeIssue brings a recorded check-in (shown: its shownToken) to the
// mentee's tracking issue in one request: the log region re-rendered, checkin/week-N added
// and checkin/missed removed, body and labels sent together (GitHub's
// "update an issue" replaces the label set).
//
// The issue as it stands is taken from the comment's own webhook when the
// check-in was made on that issue and no write of ours can be missing from
// that copy (store.LastIssueWrite, recorded for every write by the server's
// client); otherwise it is read. So a check-in costs its 👍 and this one
// write, plus its share of the hub's coalesced re-render (issue 7: ≤ 3
// requests per check-in in a burst of ten).
//
// The rest of the body and the labels are kept as the copy shows them. A
// human edit or label change that lands between the comment and this write
// — a second or so — is not in the copy; its own webhook shows it, and
// HandleIssueEdit / HandleIssueLabel put it back.
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
	base, err := x.menteeIssue(ctx, number)
	if err != nil {
		return err
	}
	body := applyRegions(ctx, base.Body, number, regions)
	labels := withLabel(withoutLabel(base.Labels, LabelMissed), label)
	if body != base.Body || !sameLabels(labels, base.Labels) {
		if _, err := x.g.EditIssue(ctx, x.c.Repo, number, body, labels); err != nil {
			return err
		}
		if err := x.env.noteBody(ctx, x.c.Repo, number, base.UpdatedAt, body); err != nil {
			return err
		}
		if err := x.env.Store.NoteLabelsWrite(ctx, x.c.Repo, number, base.UpdatedAt, labels); err != nil {
			return err
		}
	}
	if gen > 0 {
		if err := x.env.Store.MarkRendered(ctx, key, gen); err != nil {
			return err
		}
	}
	wk := fmt.Sprintf("week-label:%d:%s:%d", x.c.ID, strings.ToLower(m.Handle), week)
	if err := x.env.Store.PutEffect(ctx, wk, store.EffectDone, "on"); err != nil {
		return err
	}
	mk := fmt.Sprintf("missed-label:%d:%s", x.c.ID, strings.ToLower(m.Handle))
	if e, err := x.env.Store.GetEffect(ctx, mk); err == nil && e.Value == "on" {
		if err := x.env.Store.PutEffect(ctx, mk, store.EffectDone, "off"); err != nil {
			return err
		}
	}
	// Last: a retry finds this only when everything above was done.
	return x.env.Store.PutEffect(ctx, shownKey(x.c, m, week), store.EffectDone, shown)
}

// menteeIssue returns the mentee issue as it stands: the webhook's copy
// when it is trustworthy, else a fresh read.
func (x *call) menteeIssue(ctx context.Context, number int) (gh.Issue, error) {
	if cp := x.ev.Issue; cp != nil && cp.Number == number && x.ev.Number == number && !cp.UpdatedAt.IsZero() {
		last, wrote, err := x.env.Store.LastIssueWrite(ctx, x.c.Repo, number)
		if err != nil {
			return gh.Issue{}, err
		}
		if !wrote || last.Written.Before(cp.UpdatedAt.Add(-copyMargin)) {
			return gh.Issue{Number: number, Body: cp.Body, Labels: cp.Labels, UpdatedAt: cp.UpdatedAt}, nil
		}
		zerolog.Ctx(ctx).Debug().Int("issue", number).Time("last_write", last.Written).Time("copy", cp.UpdatedAt).
			Msg("the webhook's copy of the issue may miss a write of ours; reading it")
	}
	return x.g.GetIssue(ctx, x.c.Repo, number)
}

func withLabel(labels []string, l string) []string {
	if slices.ContainsFunc(labels, func(s string) bool { return strings.EqualFold(s, l) }) {
		return labels
	}
	return append(slices.Clone(labels), l)
}

func withoutLabel(labels []string, l string) []string {
	return slices.DeleteFunc(slices.Clone(labels), func(s string) bool { return strings.EqualFold(s, l) })
}

// sameLabels compares two label sets, ignoring order and case.
func sameLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, l := range a {
		if !slices.ContainsFunc(b, func(s string) bool { return strings.EqualFold(s, l) }) {
			return false
		}
	}
	return true
}

// noteBody records a body cohortbot wrote, computed from a copy of the issue
// as of base, so a human edit it overwrote can be put back.
func (e *Env) noteBody(ctx context.Context, repo string, number int, base time.Time, body string) error {
	return e.Store.NoteBodyWrite(ctx, repo, number, base, outsideSHA(body))
}

func outsideSHA(body string) string {
	sum := sha256.Sum256([]byte(templates.Outside(body)))
	return hex.EncodeToString(sum[:])
}
