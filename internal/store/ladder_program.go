package store

import (
	"context"
	"fmt"
)

// ProgramMeasurements returns every cohort's ladder measurements (SPEC §10)
// of the mentees on its roster (removed mentees' are left out), by cohort,
// each cohort's by mentee then requirement: one query for the overview's
// "ready to nominate" figures, not one per cohort.
func (s *Store) ProgramMeasurements(ctx context.Context) (map[int64][]Measurement, error) {
	rows, err := s.Query(ctx, `SELECT `+measurementCols+` FROM ladder_measurements lm
		WHERE EXISTS (SELECT 1 FROM members m WHERE m.cohort_id = lm.cohort_id AND m.handle_lower = lm.mentee_lower
			AND m.role = 'mentee' AND m.status <> 'removed')
		ORDER BY cohort_id, mentee_lower, requirement DESC`)
	if err != nil {
		return nil, fmt.Errorf("the program's ladder measurements: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Measurement{}
	for rows.Next() {
		m, err := scanMeasurement(rows)
		if err != nil {
			return nil, err
		}
		out[m.CohortID] = append(out[m.CohortID], m)
	}
	return out, rows.Err()
}
