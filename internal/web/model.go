package web

import (
	"fmt"
	"sort"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// Attendance states of a heatmap cell. Each has a letter as well as a
// colour, so the map reads without colour (and in a screen reader's table).
const (
	CheckedIn = "checked-in"
	Missed    = "missed"
	Away      = "away"
	Skipped   = "skipped"
	NotYet    = "not-yet"
	OffRoster = "off-roster"
)

// stateLetters and stateLabels are how each state is drawn and read.
var (
	stateLetters = map[string]string{CheckedIn: "C", Missed: "M", Away: "A", Skipped: "S", NotYet: "·", OffRoster: "-", NotCounted: "-"}
	stateLabels  = map[string]string{CheckedIn: "checked in", Missed: "missed", Away: "away", Skipped: "skipped",
		NotYet: "not yet", OffRoster: "not on the roster", NotCounted: "not counted (closed before it ended)"}
)

// NotCounted is a week of a closed cohort that was never settled.
const NotCounted = "not-counted"

// cellStates name the read model's cells on the pages.
var cellStates = map[cohort.Cell]string{
	cohort.CellCheckedIn: CheckedIn, cohort.CellMissed: Missed, cohort.CellAway: Away, cohort.CellSkipped: Skipped,
	cohort.CellNotYet: NotYet, cohort.CellOffRoster: OffRoster, cohort.CellNotCounted: NotCounted,
}

// figures are a cohort's headline numbers (the read model's).
type figures struct{ cohort.Figures }

// Rate is the check-in rate over the weeks that have ended ("—" before any).
func (f figures) Rate() string {
	pct, ok := f.Figures.Rate()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%d%%", pct)
}

// overviewRow is one cohort of the overview.
type overviewRow struct {
	Name, Slug, Step, State, Start, End, Link, HubURL string
	figures
	// StillActive is the latest retention follow-up's "N/M" ("" before
	// any, SPEC §12); id keys it.
	StillActive string
	// measured and active are that follow-up's numbers, for the chart.
	measured, active int
	// Ready is "N/M" mentees ready to nominate ("" before any ladder
	// measurement, SPEC §10).
	Ready string
	id    int64
}

// repoGroup is one mentoring repository of the overview.
type repoGroup struct {
	Repo, URL         string
	Active, Completed []overviewRow
	// Older counts the completed cohorts not listed (see trimCompleted).
	Older int
}

// maxCompleted is how many completed cohorts the overview lists per
// repository (the newest): years of a program must not push the page past
// 200 KB. The graduation chart still counts them all.
const maxCompleted = 20

func trimCompleted(groups []repoGroup) {
	for i := range groups {
		if g := &groups[i]; len(g.Completed) > maxCompleted {
			g.Older = len(g.Completed) - maxCompleted
			g.Completed = g.Completed[:maxCompleted]
		}
	}
}

func (h *Handler) overviewGroups(cs []store.PageCohort, figs map[int64]store.CohortFigures) []repoGroup {
	var groups []repoGroup
	for _, c := range cs {
		if len(groups) == 0 || groups[len(groups)-1].Repo != c.Repo {
			groups = append(groups, repoGroup{Repo: c.Repo, URL: h.opts.WebURL + "/" + c.Repo})
		}
		f := figs[c.ID]
		row := overviewRow{id: c.ID, Name: c.Spec.Name, Slug: c.Spec.Slug, Step: c.Spec.Step, State: c.State,
			Start: c.Spec.Start.String(), End: c.Spec.End.String(), Link: cohortPath(c.Repo, c.Spec.Slug),
			HubURL:  h.issueURL(c.Repo, c.HubNumber),
			figures: figures{cohort.Figures{Mentees: f.Mentees, Graduated: f.Graduated, Checked: f.Checked, Expected: f.Checked + f.Missed}}}
		g := &groups[len(groups)-1]
		if c.State == store.StateCompleted {
			g.Completed = append(g.Completed, row)
		} else {
			g.Active = append(g.Active, row)
		}
	}
	return groups
}

// stepBar is one bar of the graduation chart: a ladder step's mentees and
// how many graduated, over every shown cohort.
type stepBar struct {
	Step                string
	Mentees, Graduated  int
	Y, Width, GradWidth int
	TextY               int
}

const chartWidth = 300

func graduationBars(groups []repoGroup) []stepBar {
	by := map[string]*stepBar{}
	for _, g := range groups {
		for _, r := range append(append([]overviewRow{}, g.Active...), g.Completed...) {
			b := by[r.Step]
			if b == nil {
				b = &stepBar{Step: r.Step}
				by[r.Step] = b
			}
			b.Mentees += r.Mentees
			b.Graduated += r.Graduated
		}
	}
	order := append([]string{}, cohort.LadderSteps...)
	var extra []string
	for s := range by {
		if !contains(order, s) {
			extra = append(extra, s)
		}
	}
	sort.Strings(extra)
	var out []stepBar
	for _, s := range append(order, extra...) {
		b := by[s]
		if b == nil {
			continue
		}
		b.Y = 10 + len(out)*30
		b.TextY = b.Y + 15
		b.Width = chartWidth
		if b.Mentees > 0 {
			b.GradWidth = chartWidth * b.Graduated / b.Mentees
		}
		out = append(out, *b)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// cohortPath is the page of a cohort.
func cohortPath(repo, slug string) string {
	return "/cohorts/" + repo + "/" + slug
}

func (h *Handler) issueURL(repo string, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%s/%s/issues/%d", h.opts.WebURL, repo, n)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}
