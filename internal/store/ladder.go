package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Measurement is one requirement of one mentee's ladder progress (SPEC §10):
// the search that counts it and its last answer.
type Measurement struct {
	CohortID     int64
	Installation int64
	Handle       string
	Requirement  string
	Target       int
	Query        string
	Pending      bool
	Total        int
	Incomplete   bool
	// Failure says why the count could not be measured ("" when it was).
	Failure string
	// Measured is when the last answer came (zero: never).
	Measured time.Time
}

const measurementCols = `cohort_id, installation, handle, requirement, target, query, pending, total, incomplete, failure, measured_ms`

func scanMeasurement(sc interface{ Scan(...any) error }) (Measurement, error) {
	var (
		m                   Measurement
		pending, incomplete int
		measured            int64
	)
	err := sc.Scan(&m.CohortID, &m.Installation, &m.Handle, &m.Requirement, &m.Target, &m.Query, &pending,
		&m.Total, &incomplete, &m.Failure, &measured)
	m.Pending, m.Incomplete = pending == 1, incomplete == 1
	if measured > 0 {
		m.Measured = time.UnixMilli(measured)
	}
	return m, err
}

// QueueMeasurement makes m due (pending) as of now, keeping its last answer
// for display; a target or query that changed (the config did) replaces the
// old ones. Queuing one already pending changes nothing but those.
func (s *Store) QueueMeasurement(ctx context.Context, m Measurement, now time.Time) error {
	_, err := s.Exec(ctx, `INSERT INTO ladder_measurements (cohort_id, mentee_lower, requirement, installation, handle, target, query, pending, queued_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
		ON CONFLICT (cohort_id, mentee_lower, requirement) DO UPDATE SET installation = excluded.installation,
			handle = excluded.handle, target = excluded.target, query = excluded.query,
			queued_ms = CASE WHEN ladder_measurements.pending = 1 THEN ladder_measurements.queued_ms ELSE excluded.queued_ms END,
			pending = 1`,
		m.CohortID, strings.ToLower(m.Handle), m.Requirement, m.Installation, m.Handle, m.Target, m.Query, now.UnixMilli())
	if err != nil {
		return fmt.Errorf("queue measurement of %s for %s: %w", m.Requirement, m.Handle, err)
	}
	return nil
}

// DropMeasurements forgets a mentee's requirements not in keep (the config
// stopped measuring them).
func (s *Store) DropMeasurements(ctx context.Context, cohortID int64, handle string, keep []string) error {
	ms, err := s.Measurements(ctx, cohortID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if !strings.EqualFold(m.Handle, handle) || slices.Contains(keep, m.Requirement) {
			continue
		}
		if _, err := s.Exec(ctx, `DELETE FROM ladder_measurements WHERE cohort_id = ? AND mentee_lower = ? AND requirement = ?`,
			cohortID, strings.ToLower(handle), m.Requirement); err != nil {
			return fmt.Errorf("drop measurement: %w", err)
		}
	}
	return nil
}

// NextMeasurement is the installation's longest-pending measurement;
// ErrNotFound when none is pending.
func (s *Store) NextMeasurement(ctx context.Context, installation int64) (Measurement, error) {
	m, err := scanMeasurement(s.QueryRow(ctx, `SELECT `+measurementCols+` FROM ladder_measurements
		WHERE installation = ? AND pending = 1 ORDER BY queued_ms, cohort_id, mentee_lower, requirement LIMIT 1`, installation))
	if errors.Is(err, sql.ErrNoRows) {
		return Measurement{}, ErrNotFound
	}
	return m, err
}

// PendingInstallations lists the installations with measurements due.
func (s *Store) PendingInstallations(ctx context.Context) ([]int64, error) {
	return s.ids(ctx, "list installations with measurements due",
		`SELECT DISTINCT installation FROM ladder_measurements WHERE pending = 1 ORDER BY installation`)
}

// RecordMeasurement stores a search's answer (or why there is none) and
// ends the measurement's pending state.
func (s *Store) RecordMeasurement(ctx context.Context, m Measurement, at time.Time) error {
	_, err := s.Exec(ctx, `UPDATE ladder_measurements SET pending = 0, total = ?, incomplete = ?, failure = ?, measured_ms = ?
		WHERE cohort_id = ? AND mentee_lower = ? AND requirement = ?`,
		m.Total, b2i(m.Incomplete), m.Failure, at.UnixMilli(), m.CohortID, strings.ToLower(m.Handle), m.Requirement)
	if err != nil {
		return fmt.Errorf("record measurement of %s for %s: %w", m.Requirement, m.Handle, err)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Measurements returns a cohort's measurements, by mentee then requirement.
func (s *Store) Measurements(ctx context.Context, cohortID int64) ([]Measurement, error) {
	rows, err := s.Query(ctx, `SELECT `+measurementCols+` FROM ladder_measurements WHERE cohort_id = ?
		ORDER BY mentee_lower, requirement DESC`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("measurements of cohort %d: %w", cohortID, err)
	}
	defer rows.Close()
	var out []Measurement
	for rows.Next() {
		m, err := scanMeasurement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
