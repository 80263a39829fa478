package store

import (
	"context"
	"fmt"
	"time"
)

// Follow-up states (SPEC §12).
const (
	FollowUpMeasuring = "measuring" // figures being gathered (Figures holds those so far)
	FollowUpMeasured  = "measured"  // figures complete, comment not yet posted
	FollowUpPosted    = "posted"
	FollowUpSkipped   = "skipped" // the hub was deleted or locked
)

// FollowUp is one retention follow-up of a closed cohort.
type FollowUp struct {
	CohortID int64
	Day      int // days after the close
	DueAt    time.Time
	State    string
	// Totals: mentees measured, active ones, graduated ones, graduated
	// and active ones.
	Mentees, Active, Graduated, GraduatedActive int
	Figures                                     string // per mentee, JSON (internal/bot)
	MeasuredAt                                  time.Time
}

const followUpColumns = `cohort_id, day, due_at, state, mentees, active, graduated, graduated_active, figures, measured_at`

// FollowUp loads a cohort's follow-up of day, or ErrNotFound.
func (s *Store) FollowUp(ctx context.Context, cohortID int64, day int) (FollowUp, error) {
	fs, err := s.followUps(ctx, `WHERE cohort_id = ? AND day = ?`, cohortID, day)
	if err != nil {
		return FollowUp{}, err
	}
	if len(fs) == 0 {
		return FollowUp{}, ErrNotFound
	}
	return fs[0], nil
}

// PutFollowUp stores f, replacing the row of the same cohort and day.
func (s *Store) PutFollowUp(ctx context.Context, f FollowUp) error {
	_, err := s.Exec(ctx, `INSERT INTO retention_followups (`+followUpColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (cohort_id, day) DO UPDATE SET due_at = excluded.due_at, state = excluded.state,
		mentees = excluded.mentees, active = excluded.active, graduated = excluded.graduated,
		graduated_active = excluded.graduated_active, figures = excluded.figures, measured_at = excluded.measured_at`,
		f.CohortID, f.Day, f.DueAt.Unix(), f.State, f.Mentees, f.Active, f.Graduated, f.GraduatedActive, f.Figures,
		taskUnix(f.MeasuredAt))
	if err != nil {
		return fmt.Errorf("store follow-up %d of cohort %d: %w", f.Day, f.CohortID, err)
	}
	return nil
}

// LatestFollowUps returns, per cohort, its latest measured follow-up (the
// highest day with figures), for the pages' "still active N/M".
func (s *Store) LatestFollowUps(ctx context.Context) (map[int64]FollowUp, error) {
	fs, err := s.followUps(ctx, `WHERE state IN ('measured', 'posted', 'skipped') AND measured_at > 0 ORDER BY cohort_id, day`)
	if err != nil {
		return nil, err
	}
	out := map[int64]FollowUp{}
	for _, f := range fs {
		out[f.CohortID] = f
	}
	return out, nil
}

func (s *Store) followUps(ctx context.Context, where string, args ...any) ([]FollowUp, error) {
	rows, err := s.Query(ctx, `SELECT `+followUpColumns+` FROM retention_followups `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load follow-ups: %w", err)
	}
	defer rows.Close()
	var out []FollowUp
	for rows.Next() {
		var f FollowUp
		var due, measured int64
		if err := rows.Scan(&f.CohortID, &f.Day, &due, &f.State, &f.Mentees, &f.Active, &f.Graduated,
			&f.GraduatedActive, &f.Figures, &measured); err != nil {
			return nil, fmt.Errorf("read follow-up: %w", err)
		}
		f.DueAt, f.MeasuredAt = time.Unix(due, 0).UTC(), taskTime(measured)
		out = append(out, f)
	}
	return out, rows.Err()
}

// RetentionDue returns the ids of completed cohorts whose retention work is
// due at now: never planned (retention_due 0) or a follow-up come due. One
// indexed query, so an idle tick costs nothing more.
// unplanned are those of them never planned: their work is bookkeeping,
// not a follow-up the tick's report counts.
func (s *Store) RetentionDue(ctx context.Context, now time.Time) (ids []int64, unplanned map[int64]bool, err error) {
	rows, err := s.Query(ctx, `SELECT id, retention_due FROM cohorts WHERE state = 'completed' AND retention_due >= 0
		AND retention_due <= ? ORDER BY retention_due, id`, now.Unix())
	if err != nil {
		return nil, nil, fmt.Errorf("list cohorts with retention work: %w", err)
	}
	defer rows.Close()
	unplanned = map[int64]bool{}
	for rows.Next() {
		var id, due int64
		if err := rows.Scan(&id, &due); err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		unplanned[id] = due == 0
	}
	return ids, unplanned, rows.Err()
}

// SetRetentionDue records when cohort id's next follow-up is due (zero
// time: none left).
func (s *Store) SetRetentionDue(ctx context.Context, id int64, at time.Time) error {
	v := int64(-1)
	if !at.IsZero() {
		v = max(at.Unix(), 1)
	}
	_, err := s.Exec(ctx, `UPDATE cohorts SET retention_due = ? WHERE id = ?`, v, id)
	return err
}
