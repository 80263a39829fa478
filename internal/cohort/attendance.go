package cohort

import (
	"strings"
)

// Attendance is the read model of a cohort's check-ins: from the roster,
// the weeks each mentee checked in, was away or that were skipped, and how
// far the scheduler has settled the weeks, it decides what every board,
// summary, report and page shows. It is pure: the flows and the pages load
// the facts and ask it, so they cannot disagree.
type Attendance struct {
	// Weeks is the cohort's length in weeks.
	Weeks int
	// Settled is how many weeks' boundaries have been done: a week counts
	// as missed only once it is settled.
	Settled int
	// Closed: the cohort is closed or closing, so a week never settled
	// (after a /close-cohort) is not counted rather than "not yet".
	Closed bool
	// Mentees in roster order (mentors are not part of attendance).
	Mentees []Attendee
	// Checked, Aways: lower-cased handle → weeks. Skipped: weeks.
	Checked map[string]map[int]bool
	Aways   map[string]map[int]bool
	Skipped map[int]bool
}

// Attendee is one mentee as attendance sees them.
type Attendee struct {
	Handle string
	// Mentor is the paired mentor ("" when unpaired).
	Mentor string
	// JoinedWeek is the first week owed; LeftWeek the week they withdrew
	// or were removed in (0 while on the roster).
	JoinedWeek, LeftWeek int
	// Active: still on the roster. Removed: taken off by an organizer (not
	// shown on boards at all, unlike a withdrawal).
	Active, Removed bool
	// Graduated is the mentee's recorded outcome.
	Graduated bool
}

// OnRoster reports whether the mentee was on the roster in week w: joined
// by then and not yet withdrawn or removed. A mentee who withdraws in week
// 5 still owes weeks 1 to 4.
func (a Attendee) OnRoster(w int) bool {
	if w < a.JoinedWeek {
		return false
	}
	return a.Active || w < a.LeftWeek
}

// Cell is what one mentee's week shows.
type Cell uint8

// The cells, as the boards draw them (templates.Mark*) and the pages name
// them.
const (
	CellNotYet     Cell = iota // the week has not been settled yet
	CellCheckedIn              // a check-in was recorded for the week
	CellSkipped                // the organizers skipped the week
	CellAway                   // the mentee said /away
	CellOffRoster              // not on the roster that week
	CellNotCounted             // the cohort closed before the week was settled
	CellMissed                 // owed, settled, and no check-in
)

// Shown reports whether a mentee appears on boards and pages: everyone who
// was on the roster, except those removed.
func (a Attendee) Shown() bool { return !a.Removed }

func (at *Attendance) key(m Attendee) string { return strings.ToLower(m.Handle) }

// CheckedIn reports whether m has a check-in for week w.
func (at *Attendance) CheckedIn(m Attendee, w int) bool { return at.Checked[at.key(m)][w] }

// Expected reports whether m owes a check-in for week w: on the roster,
// the week not skipped, and not away.
func (at *Attendance) Expected(m Attendee, w int) bool {
	return m.OnRoster(w) && !at.Skipped[w] && !at.Aways[at.key(m)][w]
}

// Missed reports whether m owed week w and did not check in (whether or not
// the week is settled: the scheduler asks before it settles it).
func (at *Attendance) Missed(m Attendee, w int) bool {
	return w >= 1 && at.Expected(m, w) && !at.CheckedIn(m, w)
}

// Cell is week w of mentee m.
func (at *Attendance) Cell(m Attendee, w int) Cell {
	k := at.key(m)
	switch {
	case at.Checked[k][w]:
		return CellCheckedIn
	case at.Skipped[w]:
		return CellSkipped
	case at.Aways[k][w]:
		return CellAway
	case !m.OnRoster(w):
		return CellOffRoster
	case w <= at.Settled:
		return CellMissed
	case at.Closed:
		return CellNotCounted
	}
	return CellNotYet
}

// Shown are the mentees boards and pages show, in roster order.
func (at *Attendance) Shown() []Attendee {
	var out []Attendee
	for _, m := range at.Mentees {
		if m.Shown() {
			out = append(out, m)
		}
	}
	return out
}

// WeekSummary is one week's count: who was expected, who checked in, who
// missed, and who has now missed two in a row (for the first time in a
// row: a third miss does not repeat the alarm).
type WeekSummary struct {
	Week      int
	Skipped   bool
	Expected  int
	CheckedIn int
	Missing   []string
	// AtRisk are the mentees (with their paired mentor, "" when unpaired)
	// who missed this week and the one before, but not the one before that.
	AtRisk []Attendee
}

// Summaries counts the weeks from..to.
func (at *Attendance) Summaries(from, to int) []WeekSummary {
	var out []WeekSummary
	for w := from; w <= to; w++ {
		ws := WeekSummary{Week: w, Skipped: at.Skipped[w]}
		for _, m := range at.Mentees {
			if !at.Expected(m, w) {
				continue
			}
			ws.Expected++
			if !at.Missed(m, w) {
				ws.CheckedIn++
				continue
			}
			ws.Missing = append(ws.Missing, m.Handle)
			if at.Missed(m, w-1) && !at.Missed(m, w-2) {
				ws.AtRisk = append(ws.AtRisk, m)
			}
		}
		out = append(out, ws)
	}
	return out
}

// Figures are a cohort's headline numbers over its settled weeks.
type Figures struct {
	Mentees, Graduated int
	// Checked of Expected check-ins in the settled weeks.
	Checked, Expected int
}

// Rate is the check-in rate in whole percent, rounded half up; ok is false
// before any week was expected.
func (f Figures) Rate() (pct int, ok bool) {
	if f.Expected == 0 {
		return 0, false
	}
	return (f.Checked*100 + f.Expected/2) / f.Expected, true
}

// Figures counts the shown mentees, the graduated ones, and the check-ins
// of the settled weeks against those owed.
func (at *Attendance) Figures() Figures {
	var f Figures
	for _, m := range at.Shown() {
		f.Mentees++
		if m.Graduated {
			f.Graduated++
		}
		for w := 1; w <= at.Settled && w <= at.Weeks; w++ {
			switch at.Cell(m, w) {
			case CellCheckedIn:
				f.Checked++
				f.Expected++
			case CellMissed:
				f.Expected++
			}
		}
	}
	return f
}
