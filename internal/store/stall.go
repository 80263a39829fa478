package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TaskActivity records activity by mentee on the open task repo#number at
// at (SPEC §13): one conditional update, so it needs no lock, only moves
// forward (a late or redelivered event changes nothing) and ignores anyone
// but the task's current mentee. It reports whether the record moved.
func (s *Store) TaskActivity(ctx context.Context, repo string, number int, mentee string, at time.Time) (bool, error) {
	res, err := s.Exec(ctx, `UPDATE tasks SET last_activity_at = ?
		WHERE repo_lower = ? AND number = ? AND state = 'open' AND mentee <> '' AND LOWER(mentee) = ?
		AND last_activity_at < ? AND assigned_at < ?`,
		at.Unix(), strings.ToLower(repo), number, strings.ToLower(mentee), at.Unix(), at.Unix())
	if err != nil {
		return false, fmt.Errorf("record activity on %s#%d: %w", repo, number, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DueBy makes the scheduler look at cohort id no later than at (a newly
// handed-out task may come due before the cohort's next week boundary).
func (s *Store) DueBy(ctx context.Context, id int64, at time.Time) error {
	_, err := s.Exec(ctx, `UPDATE cohorts SET next_due = ? WHERE id = ? AND next_due > ?`, at.Unix(), id, at.Unix())
	if err != nil {
		return fmt.Errorf("schedule cohort %d by %s: %w", id, at.Format(time.RFC3339), err)
	}
	return nil
}
