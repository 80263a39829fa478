package store

import (
	"context"
	"fmt"
	"time"
)

// ProgramMeasurements returns every cohort's ladder measurements (SPEC §10)
// of the mentees on its roster (removed mentees' are left out), by cohort,
// in no particular order: one query for the overview's "ready to nominate"
// figures, not one per cohort. Only what counting needs is read: Handle
// (lower-cased), Requirement, Target, Total, Incomplete, Failure, Measured.
func (s *Store) ProgramMeasurements(ctx context.Context) (map[int64][]Measurement, error) {
	rows, err := s.Query(ctx, `SELECT cohort_id, mentee_lower, requirement, target, total, incomplete, failure, measured_ms
		FROM ladder_measurements lm
		WHERE EXISTS (SELECT 1 FROM members m WHERE m.cohort_id = lm.cohort_id AND m.handle_lower = lm.mentee_lower
			AND m.role = 'mentee' AND m.status <> 'removed')`)
	if err != nil {
		return nil, fmt.Errorf("the program's ladder measurements: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Measurement{}
	for rows.Next() {
		var (
			m          Measurement
			incomplete int
			measured   int64
		)
		if err := rows.Scan(&m.CohortID, &m.Handle, &m.Requirement, &m.Target, &m.Total, &incomplete, &m.Failure, &measured); err != nil {
			return nil, fmt.Errorf("the program's ladder measurements: %w", err)
		}
		m.Incomplete = incomplete == 1
		if measured > 0 {
			m.Measured = time.UnixMilli(measured)
		}
		out[m.CohortID] = append(out[m.CohortID], m)
	}
	return out, rows.Err()
}
