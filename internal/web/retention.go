package web

import (
	"context"
	"strconv"

	"github.com/cohortbot/cohortbot/internal/store"
)

// retained is a cohort's latest retention follow-up (SPEC §12) as the
// pages show it; StillActive is "" before any was measured.
type retained struct {
	StillActive     string // "N/M": mentees active since the close / mentees measured
	GraduatedActive string // "G/N": graduates still active / graduates
	Day             int    // days after the close
}

func retainedFrom(f store.FollowUp) retained {
	if f.MeasuredAt.IsZero() {
		return retained{}
	}
	return retained{StillActive: strconv.Itoa(f.Active) + "/" + strconv.Itoa(f.Mentees),
		GraduatedActive: strconv.Itoa(f.GraduatedActive) + "/" + strconv.Itoa(f.Graduated), Day: f.Day}
}

// annotateRetention sets each overview row's "still active N/M".
func (h *Handler) annotateRetention(ctx context.Context, groups []repoGroup) error {
	latest, err := h.opts.Store.LatestFollowUps(ctx)
	if err != nil || len(latest) == 0 {
		return err
	}
	for i := range groups {
		for j := range groups[i].Completed {
			row := &groups[i].Completed[j]
			row.StillActive = retainedFrom(latest[row.id]).StillActive
		}
	}
	return nil
}

// retainedOf is cohort id's latest follow-up, for its page.
func (h *Handler) retainedOf(ctx context.Context, id int64) (retained, error) {
	latest, err := h.opts.Store.LatestFollowUps(ctx)
	if err != nil {
		return retained{}, err
	}
	return retainedFrom(latest[id]), nil
}
