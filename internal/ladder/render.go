package ladder

import (
	"fmt"
	"strings"
	"time"
)

// Row is one requirement's measurement as the region and replies show it.
type Row struct {
	Requirement   string
	Target, Total int
	Incomplete    bool
	// Failure: why it could not be measured ("" when it was).
	Failure string
	Query   string
	// Measured is when the last answer came (zero: never).
	Measured time.Time
}

// Met reports a measured, complete count at or above its target. Incomplete
// results are never met: GitHub says the count may be wrong.
func (r Row) Met() bool {
	return !r.Measured.IsZero() && r.Failure == "" && !r.Incomplete && r.Total >= r.Target
}

// AllMet reports whether every requirement of rows is met (none: false,
// nothing is measured so nothing says "ready").
func AllMet(rows []Row) bool {
	for _, r := range rows {
		if !r.Met() {
			return false
		}
	}
	return len(rows) > 0
}

// Status is the row's mark and count as shown: ✅ met, ⏳ not yet, ⚠️ could
// not be measured.
func (r Row) Status() (mark, count string) {
	switch {
	case r.Failure != "":
		return "⚠️", "could not be measured: " + r.Failure
	case r.Measured.IsZero():
		return "⏳", "not measured yet"
	case r.Incomplete:
		return "⏳", fmt.Sprintf("%d (GitHub's results were incomplete: not counted as met)", r.Total)
	case r.Total >= r.Target:
		return "✅", fmt.Sprint(r.Total)
	}
	return "⏳", fmt.Sprint(r.Total)
}

// Figures is a mentee's progress as the hub's roster shows it:
// "reviewed 12/20 ⏳ · merged 1/1 ✅" ("—" when nothing is measured).
func Figures(rows []Row) string {
	var parts []string
	for _, r := range rows {
		mark, _ := r.Status()
		switch {
		case r.Failure != "":
			parts = append(parts, Short(r.Requirement)+" ⚠️ not measurable")
		case r.Measured.IsZero():
			parts = append(parts, fmt.Sprintf("%s ?/%d ⏳", Short(r.Requirement), r.Target))
		default:
			parts = append(parts, fmt.Sprintf("%s %d/%d %s", Short(r.Requirement), r.Total, r.Target, mark))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

// Table renders rows as the Markdown table of the region and of replies,
// each count linked to its search on GitHub's web UI.
func Table(rows []Row, webBase string) string {
	var b strings.Builder
	b.WriteString("| Requirement | Count | Target | | Check it on GitHub |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		mark, count := r.Status()
		fmt.Fprintf(&b, "| %s | %s | %d | %s | [search](%s) |\n", Label(r.Requirement), count, r.Target, mark, WebURL(webBase, r.Query))
	}
	return b.String()
}

// Region is the mentee issue's bot-owned "Ladder progress" region.
func Region(step string, rows []Row, scopeNote, webBase string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured from GitHub toward **%s** (%s).", step, scopeNote)
	if last := lastMeasured(rows); !last.IsZero() {
		// The day only: the region stays the same until the counts change.
		fmt.Fprintf(&b, " Last measured %s (UTC).", last.UTC().Format("2006-01-02"))
	}
	b.WriteString("\n\n" + Table(rows, webBase))
	if AllMet(rows) {
		b.WriteString("\nEvery requirement is met: ready to nominate (`ladder/ready`).\n")
	}
	return b.String()
}

func lastMeasured(rows []Row) time.Time {
	var t time.Time
	for _, r := range rows {
		if r.Measured.After(t) {
			t = r.Measured
		}
	}
	return t
}

// ScopeNote says where and since when counts are taken, for the region:
// "in org:kubernetes, since 2027-01-11".
func ScopeNote(scope []string, since string) string {
	s := "in " + strings.Join(ScopeTerms(scope), " ")
	if since != "" {
		return s + ", since " + since
	}
	return s + ", all time"
}

// NextStep is what to propose once a mentee is ready, per ladder step.
func NextStep(step string) string {
	switch strings.ToLower(step) {
	case "member":
		return "file the org membership request (two sponsors who are reviewers or approvers)"
	case "reviewer":
		return "propose a `reviewers:` entry for them in the OWNERS file of the area they review"
	case "approver":
		return "propose an `approvers:` entry for them in the OWNERS file of the area they approve"
	}
	return "propose the next step for them to the subproject's owners"
}
