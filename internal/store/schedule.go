package store

import (
	"context"
	"fmt"
	"time"
)

// DueCohorts returns the ids of active cohorts whose next scheduled work is
// due at now: one indexed query, so an idle tick over many cohorts is cheap.
func (s *Store) DueCohorts(ctx context.Context, now time.Time) ([]int64, error) {
	return s.ids(ctx, "list due cohorts", `SELECT id FROM cohorts WHERE state = 'active' AND next_due <= ? ORDER BY next_due`, now.Unix())
}

// SetSchedule records the scheduler's progress on a cohort.
func (s *Store) SetSchedule(ctx context.Context, id int64, boundaryDone int, nextDue time.Time) error {
	_, err := s.Exec(ctx, `UPDATE cohorts SET boundary_done = ?, next_due = ?, updated_at = ? WHERE id = ?`,
		boundaryDone, nextDue.Unix(), time.Now().Unix(), id)
	return err
}

// WantRender asks for a re-render of key and returns the new wanted
// generation.
func (s *Store) WantRender(ctx context.Context, key string) error {
	_, err := s.Exec(ctx, `INSERT INTO renders (key, wanted, done) VALUES (?, 1, 0)
		ON CONFLICT (key) DO UPDATE SET wanted = renders.wanted + 1`, key)
	return err
}

// RenderGeneration returns the wanted and done generations of key.
func (s *Store) RenderGeneration(ctx context.Context, key string) (wanted, done int64, err error) {
	err = s.QueryRow(ctx, `SELECT wanted, done FROM renders WHERE key = ?`, key).Scan(&wanted, &done)
	return wanted, done, err
}

// MarkRendered records that generation gen of key was written.
func (s *Store) MarkRendered(ctx context.Context, key string, gen int64) error {
	_, err := s.Exec(ctx, `UPDATE renders SET done = ? WHERE key = ? AND done < ?`, gen, key, gen)
	return err
}

// ids runs a query of one integer column; what says what it is for in the
// error.
func (s *Store) ids(ctx context.Context, what, q string, args ...any) ([]int64, error) {
	rows, err := s.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
