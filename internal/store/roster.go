package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// Outcomes a member's outcome column holds ("" while undecided).
const (
	OutcomeGraduated = "graduated"
	OutcomeWithdrawn = "withdrawn"
)

// OnRoster reports whether mentee m was on the roster in week w: joined by
// then and not yet withdrawn or removed. A mentee who withdraws in week 5
// still owes weeks 1 to 4, so the board and the final report keep them.
func (m Member) OnRoster(w int) bool {
	if w < m.JoinedWeek {
		return false
	}
	if m.Status == StatusActive {
		return true
	}
	return w < m.LeftWeek
}

// SaveRoster applies a roster change in one transaction: the cohort's spec
// (what the hub's roster region shows) and the given members (inserted, or
// updated when the cohort already has the handle in that role), so the two
// never disagree. A new member goes to the end of their role's roster order;
// an updated one keeps its place and its tracking issue.
func (s *Store) SaveRoster(ctx context.Context, cohortID int64, spec cohort.Spec, ms ...Member) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.writeSpec(ctx, tx, cohortID, spec); err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.upsertMember(ctx, tx, cohortID, m); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ExtendCohort stores a spec with a new end date and clears the scheduler's
// next_due, so the next tick plans the cohort's weeks and its close anew
// (boundary_done is kept: the weeks already counted stay counted).
func (s *Store) ExtendCohort(ctx context.Context, cohortID int64, spec cohort.Spec) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.writeSpec(ctx, tx, cohortID, spec); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE cohorts SET next_due = 0 WHERE id = ?`), cohortID); err != nil {
		return fmt.Errorf("reschedule cohort %d: %w", cohortID, err)
	}
	return tx.Commit()
}

func (s *Store) writeSpec(ctx context.Context, tx *sql.Tx, cohortID int64, spec cohort.Spec) error {
	b, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, s.rebind(`UPDATE cohorts SET spec = ?, updated_at = ? WHERE id = ?`),
		string(b), time.Now().Unix(), cohortID)
	if err != nil {
		return fmt.Errorf("store spec of cohort %d: %w", cohortID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

func (s *Store) upsertMember(ctx context.Context, tx *sql.Tx, cohortID int64, m Member) error {
	if m.Role != RoleMentor && m.Role != RoleMentee {
		return fmt.Errorf("member %s: role %q is neither mentor nor mentee", m.Handle, m.Role)
	}
	if m.Status == "" {
		m.Status = StatusActive
	}
	if m.JoinedWeek < 1 {
		m.JoinedWeek = 1
	}
	_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO members
		(cohort_id, handle_lower, handle, role, mentor, status, outcome, outcome_link, joined_week, left_week, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
			(SELECT COALESCE(MAX(position), -1) + 1 FROM members WHERE cohort_id = ? AND role = ?))
		ON CONFLICT (cohort_id, role, handle_lower) DO UPDATE SET handle = excluded.handle, mentor = excluded.mentor,
			status = excluded.status, outcome = excluded.outcome, outcome_link = excluded.outcome_link,
			joined_week = excluded.joined_week, left_week = excluded.left_week`),
		cohortID, strings.ToLower(m.Handle), m.Handle, m.Role, m.Mentor, m.Status, m.Outcome, m.OutcomeLink,
		m.JoinedWeek, m.LeftWeek, cohortID, m.Role)
	if err != nil {
		return fmt.Errorf("store %s %s: %w", m.Role, m.Handle, err)
	}
	return nil
}

// Attendee is the mentee as the attendance read model sees them.
func (m Member) Attendee() cohort.Attendee {
	return cohort.Attendee{Handle: m.Handle, Mentor: m.Mentor, JoinedWeek: m.JoinedWeek, LeftWeek: m.LeftWeek,
		Active: m.Status == StatusActive, Removed: m.Status == StatusRemoved, Graduated: m.Outcome == OutcomeGraduated}
}

// AttendanceModel builds the read model from a roster and its weeks.
func AttendanceModel(members []Member, checked, aways map[string]map[int]bool, skipped map[int]bool, weeks, settled int, closed bool) *cohort.Attendance {
	at := &cohort.Attendance{Weeks: weeks, Settled: settled, Closed: closed, Checked: checked, Aways: aways, Skipped: skipped}
	for _, m := range members {
		if m.Role == RoleMentee {
			at.Mentees = append(at.Mentees, m.Attendee())
		}
	}
	return at
}
