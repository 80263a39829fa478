package store

import (
	"context"
	"fmt"
)

// readyQuery counts, per cohort, the roster's mentees (removed ones left
// out) whose every measured requirement is met, by internal/ladder's rule
// (Row.Met: answered, no failure, complete, total at or above target; the
// web package's TestOverviewReadyMatchesCohortPages checks that both
// agree), and whether any of them has an answer at all.
const readyQuery = `SELECT cohort_id, CAST(SUM(CASE WHEN met = n THEN 1 ELSE 0 END) AS BIGINT), MAX(answered)
	FROM (SELECT cohort_id, mentee_lower, COUNT(*) AS n,
		SUM(CASE WHEN measured_ms > 0 AND failure = '' AND incomplete = 0 AND total >= target THEN 1 ELSE 0 END) AS met,
		MAX(CASE WHEN measured_ms > 0 OR failure <> '' THEN 1 ELSE 0 END) AS answered
		FROM ladder_measurements lm
		WHERE EXISTS (SELECT 1 FROM members m WHERE m.cohort_id = lm.cohort_id AND m.handle_lower = lm.mentee_lower
			AND m.role = 'mentee' AND m.status <> 'removed')
		GROUP BY cohort_id, mentee_lower) r
	GROUP BY cohort_id`

// ProgramReady returns, for every cohort with an answered ladder
// measurement (SPEC §10), how many of its roster's mentees are ready to
// nominate: one query for the overview, not one per cohort nor the
// program's every measurement.
func (s *Store) ProgramReady(ctx context.Context) (map[int64]int, error) {
	rows, err := s.Query(ctx, readyQuery)
	if err != nil {
		return nil, fmt.Errorf("the program's ready-to-nominate counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id, ready, answered int64
		if err := rows.Scan(&id, &ready, &answered); err != nil {
			return nil, fmt.Errorf("the program's ready-to-nominate counts: %w", err)
		}
		if answered == 1 {
			out[id] = int(ready)
		}
	}
	return out, rows.Err()
}
