package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"

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
			if f := latest[row.id]; !f.MeasuredAt.IsZero() {
				row.measured, row.active = f.Mentees, f.Active
			}
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

// retentionBars are the overview's retention chart: per ladder step, the
// mentees of completed cohorts measured by their latest follow-up and how
// many were still active (stepBar's Mentees and Graduated); none before
// any follow-up was measured.
func retentionBars(groups []repoGroup) []stepBar {
	var rows []overviewRow
	for _, g := range groups {
		for _, r := range g.Completed {
			if r.measured > 0 {
				rows = append(rows, overviewRow{Step: r.Step,
					figures: figures{cohort.Figures{Mentees: r.measured, Graduated: r.active}}})
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return graduationBars([]repoGroup{{Completed: rows}})
}

// retentionDesc is the retention chart's text alternative.
func retentionDesc(bars []stepBar) string {
	var parts []string
	for _, b := range bars {
		parts = append(parts, b.Step+": "+itoa(b.Graduated)+" of "+itoa(b.Mentees)+" still active")
	}
	return strings.Join(parts, "; ") + "."
}
