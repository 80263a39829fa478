package render

import (
	"context"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// Missed reports whether mentee m owed week w and did not check in.
func (st *State) Missed(m store.Member, w int) bool {
	return m.Role == store.RoleMentee && st.Att.Missed(m.Attendee(), w)
}

// MentorFor is the mentor to mention for m: the paired one, or the week's
// facilitator's turn does not matter here — any mentor of the cohort.
func (st *State) MentorFor(paired string) string {
	if paired != "" {
		return paired
	}
	return Facilitator(st.Cohort.Spec.Mentors, 1)
}

// State is everything a board or log shows.
type State struct {
	Cohort   store.Cohort
	Cal      cohort.Calendar
	Members  []store.Member
	Checkins map[string]map[int]store.Checkin
	Aways    map[string]map[int]bool
	skipped  map[int]bool
	// closed: the cohort is closed or closing, so a week never settled
	// (after a /close-cohort) shows as not counted, never "not yet".
	closed bool
	// Att is the attendance read model over the same facts: what is
	// expected, missed, and each board cell.
	Att *cohort.Attendance
}

func LoadState(ctx context.Context, s *store.Store, c store.Cohort) (*State, error) {
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return nil, err
	}
	st := &State{Cohort: c, Cal: cal, Checkins: map[string]map[int]store.Checkin{}}
	if st.Members, err = s.Members(ctx, c.ID); err != nil {
		return nil, err
	}
	cis, err := s.Checkins(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, ci := range cis {
		if st.Checkins[ci.Mentee] == nil {
			st.Checkins[ci.Mentee] = map[int]store.Checkin{}
		}
		st.Checkins[ci.Mentee][ci.Week] = ci
	}
	if st.Aways, err = s.Aways(ctx, c.ID); err != nil {
		return nil, err
	}
	if st.skipped, err = s.SkippedWeeks(ctx, c.ID); err != nil {
		return nil, err
	}
	if st.closed, err = kernel.ClosedOrClosing(ctx, s, c); err != nil {
		return nil, err
	}
	checked := map[string]map[int]bool{}
	for mentee, weeks := range st.Checkins {
		checked[mentee] = map[int]bool{}
		for w, ci := range weeks {
			checked[mentee][w] = ci.Week == w
		}
	}
	st.Att = store.AttendanceModel(st.Members, checked, st.Aways, st.skipped, cal.Weeks(), c.BoundaryDone, st.closed)
	return st, nil
}

// Mentee finds a mentee of the roster.
func (st *State) Mentee(handle string) (store.Member, bool) {
	for _, m := range st.Members {
		if m.Role == store.RoleMentee && strings.EqualFold(m.Handle, handle) {
			return m, true
		}
	}
	return store.Member{}, false
}

// Expected reports whether mentee m owes a check-in for week w.
func (st *State) Expected(m store.Member, w int) bool {
	return m.Role == store.RoleMentee && st.Att.Expected(m.Attendee(), w)
}

// boardMarks draws the read model's cells on the hub's board.
var boardMarks = map[cohort.Cell]string{
	cohort.CellCheckedIn: templates.MarkDone, cohort.CellSkipped: templates.MarkSkipped,
	cohort.CellAway: templates.MarkAway, cohort.CellOffRoster: templates.MarkNotCounted,
	cohort.CellMissed: templates.MarkMissed, cohort.CellNotCounted: templates.MarkNotCounted,
	cohort.CellNotYet: templates.MarkNotYet,
}

// cell is week w of mentee m on the board.
func (st *State) cell(m store.Member, w int) string { return boardMarks[st.Att.Cell(m.Attendee(), w)] }

func (st *State) board() string {
	var rows []templates.BoardRow
	for _, m := range st.Members {
		if m.Role != store.RoleMentee || m.Status == store.StatusRemoved {
			continue
		}
		row := templates.BoardRow{Handle: m.Handle}
		for w := 1; w <= st.Cal.Weeks(); w++ {
			row.Cells = append(row.Cells, st.cell(m, w))
		}
		rows = append(rows, row)
	}
	return templates.CheckinBoard(st.Cal.Weeks(), rows)
}

func (st *State) log(handle string) string {
	var entries []templates.LogEntry
	for w := 1; w <= st.Cal.Weeks(); w++ {
		ci, ok := st.Checkins[strings.ToLower(handle)][w]
		if !ok {
			continue
		}
		e := templates.LogEntry{Week: w, URL: ci.CommentURL, Author: ci.Author,
			From: cohort.DateOf(st.Cal.WeekStart(w)).String(), To: cohort.DateOf(st.Cal.WeekEnd(w).Add(-time.Minute)).String()}
		if !strings.EqualFold(ci.Author, handle) {
			e.ByMentorOf = handle
		}
		for _, s := range ci.Sections {
			e.Sections = append(e.Sections, [2]string{s.Name, s.Text})
		}
		entries = append(entries, e)
	}
	return templates.MenteeLog(entries)
}
