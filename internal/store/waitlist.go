package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/waitlist"
)

// ErrWaitingElsewhere is PutWaiting's answer when the person already has an
// open entry of the same kind on another issue.
var ErrWaitingElsewhere = errors.New("the person already waits on another issue")

const waitingColumns = `issue_id, installation_id, repo, number, kind, handle, step, areas, time_zone, capacity, since`

// PutWaiting records (or updates) the waitlist entry of w.IssueID. When the
// same person already waits with the same kind on another issue of the
// repository, nothing is stored and the error is ErrWaitingElsewhere.
func (s *Store) PutWaiting(ctx context.Context, w waitlist.Waiting) error {
	if other, err := s.WaitingPerson(ctx, w.Repo, w.Kind, w.Handle); err == nil && other.IssueID != w.IssueID {
		return ErrWaitingElsewhere
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	areas, err := json.Marshal(w.Areas)
	if err != nil {
		return err
	}
	_, err = s.Exec(ctx, `INSERT INTO waitlist (repo_lower, handle_lower, `+waitingColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (issue_id) DO UPDATE SET step = excluded.step, areas = excluded.areas,
		time_zone = excluded.time_zone, capacity = excluded.capacity`,
		strings.ToLower(w.Repo), strings.ToLower(w.Handle), w.IssueID, w.Installation, w.Repo, w.Number,
		w.Kind, w.Handle, w.Step, string(areas), w.TimeZone, w.Capacity, w.Since.Unix())
	if err != nil && isUniqueViolation(err) {
		return ErrWaitingElsewhere
	}
	if err != nil {
		return fmt.Errorf("store waitlist entry of %s#%d: %w", w.Repo, w.Number, err)
	}
	return nil
}

// isUniqueViolation reports whether err is the unique index refusing a row
// (two workers recording the same person at once).
func isUniqueViolation(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "unique") || strings.Contains(m, "duplicate key")
}

// RemoveWaiting deletes the entry of an issue; removing an absent one is
// not an error (closing an issue that never was valid).
func (s *Store) RemoveWaiting(ctx context.Context, issueID int64) (bool, error) {
	res, err := s.Exec(ctx, `DELETE FROM waitlist WHERE issue_id = ?`, issueID)
	if err != nil {
		return false, fmt.Errorf("remove waitlist entry %d: %w", issueID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RemoveWaitingNumber deletes the entry of repo#number (an issue GitHub
// answers 404 or 410 for: deleted or transferred away).
func (s *Store) RemoveWaitingNumber(ctx context.Context, repo string, number int) error {
	_, err := s.Exec(ctx, `DELETE FROM waitlist WHERE repo_lower = ? AND number = ?`, strings.ToLower(repo), number)
	if err != nil {
		return fmt.Errorf("remove waitlist entry %s#%d: %w", repo, number, err)
	}
	return nil
}

// WaitingPerson returns the open entry of kind of handle in repo, or
// ErrNotFound.
func (s *Store) WaitingPerson(ctx context.Context, repo, kind, handle string) (waitlist.Waiting, error) {
	ws, err := s.queryWaiting(ctx, `repo_lower = ? AND kind = ? AND handle_lower = ?`,
		strings.ToLower(repo), kind, strings.ToLower(handle))
	if err != nil {
		return waitlist.Waiting{}, err
	}
	if len(ws) == 0 {
		return waitlist.Waiting{}, ErrNotFound
	}
	return ws[0], nil
}

// WaitingIssue returns the entry of an issue, or ErrNotFound.
func (s *Store) WaitingIssue(ctx context.Context, issueID int64) (waitlist.Waiting, error) {
	ws, err := s.queryWaiting(ctx, `issue_id = ?`, issueID)
	if err != nil {
		return waitlist.Waiting{}, err
	}
	if len(ws) == 0 {
		return waitlist.Waiting{}, ErrNotFound
	}
	return ws[0], nil
}

// Waitlist returns every open entry of repo, oldest first.
func (s *Store) Waitlist(ctx context.Context, repo string) ([]waitlist.Waiting, error) {
	return s.queryWaiting(ctx, `repo_lower = ?`, strings.ToLower(repo))
}

func (s *Store) queryWaiting(ctx context.Context, where string, args ...any) ([]waitlist.Waiting, error) {
	rows, err := s.Query(ctx, `SELECT `+waitingColumns+` FROM waitlist WHERE `+where+` ORDER BY since, number`, args...)
	if err != nil {
		return nil, fmt.Errorf("load waitlist: %w", err)
	}
	defer rows.Close()
	var out []waitlist.Waiting
	for rows.Next() {
		var w waitlist.Waiting
		var areas string
		var since int64
		if err := rows.Scan(&w.IssueID, &w.Installation, &w.Repo, &w.Number, &w.Kind, &w.Handle, &w.Step,
			&areas, &w.TimeZone, &w.Capacity, &since); err != nil {
			return nil, fmt.Errorf("load waitlist: %w", err)
		}
		if err := json.Unmarshal([]byte(areas), &w.Areas); err != nil {
			return nil, fmt.Errorf("load waitlist areas of %s#%d: %w", w.Repo, w.Number, err)
		}
		w.Since = time.Unix(since, 0).UTC()
		out = append(out, w)
	}
	return out, rows.Err()
}
