package command

import (
	"context"
	"errors"
	"fmt"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
)

// actionRank orders the events of one comment that share a timestamp
// (GitHub's are to the second): created, then edited, then deleted (whose
// timestamp is the last edit's).
var actionRank = map[string]int{"created": 0, "edited": 1, "deleted": 2}

// staleComment tells whether ev is older than an event of the same comment
// already handled, and otherwise records it as the newest. GitHub does not
// promise delivery order: an edit may arrive before its creation, or after
// the deletion. The caller holds the cohort's lock, so the check and the
// record are one step.
func StaleComment(ctx context.Context, e *kernel.Env, ev CommentEvent) (bool, error) {
	if ev.UpdatedAt.IsZero() {
		return false, nil // no order known: handled as it comes
	}
	key := kernel.CommentVersionKey(ev.CommentID)
	version := fmt.Sprintf("%020d.%d", ev.UpdatedAt.UnixNano(), actionRank[ev.Action])
	prev, err := e.Store.GetEffect(ctx, key)
	switch {
	case err == nil && prev.Value > version:
		return true, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	return false, e.Store.PutEffect(ctx, key, store.EffectDone, version)
}

// withoutCheckins drops the /checkin commands of a stale `created`: the
// newer text of the comment was already read by its edit, while the other
// commands act only on creation and so still run.
func WithoutCheckins(cmds []Slot) []Slot {
	var out []Slot
	for _, c := range cmds {
		if c.Cmd.Name != "checkin" {
			out = append(out, c)
		}
	}
	return out
}
