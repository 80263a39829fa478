package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// Cohort states.
const (
	StateCreating  = "creating"
	StateActive    = "active"
	StateCompleted = "completed"
)

// Cohort is a stored cohort with its roster.
type Cohort struct {
	ID             int64
	InstallationID int64
	Repo           string // owner/name of the mentoring repository
	RequestNumber  int
	State          string
	HubNumber      int
	Spec           cohort.Spec
	CreatedAt      time.Time
	// BoundaryDone is the last week whose boundary work is done.
	BoundaryDone int
	// NextDue is when the scheduler next has something to do (zero: now).
	NextDue time.Time
}

// CreateCohort inserts the cohort and its roster unless a cohort with the same
// id (the request issue's id) exists. It reports whether it inserted, and
// returns the stored cohort either way.
func (s *Store) CreateCohort(ctx context.Context, c Cohort) (Cohort, bool, error) {
	spec, err := json.Marshal(c.Spec)
	if err != nil {
		return Cohort{}, false, err
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return Cohort{}, false, err
	}
	defer tx.Rollback()
	now := c.CreatedAt.Unix()
	res, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO cohorts
		(id, installation_id, repo, request_number, slug, name, state, spec, hub_number, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING`),
		c.ID, c.InstallationID, c.Repo, c.RequestNumber, c.Spec.Slug, c.Spec.Name, StateCreating, string(spec), now, now)
	if err != nil {
		return Cohort{}, false, fmt.Errorf("insert cohort: %w", err)
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		if err := s.insertRoster(ctx, tx, c.ID, c.Spec); err != nil {
			return Cohort{}, false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return Cohort{}, false, err
	}
	stored, err := s.Cohort(ctx, c.ID)
	return stored, n == 1, err
}

func (s *Store) insertRoster(ctx context.Context, tx *sql.Tx, id int64, spec cohort.Spec) error {
	q := s.rebind(`INSERT INTO members (cohort_id, handle_lower, handle, role, mentor, position)
		VALUES (?, ?, ?, ?, ?, ?)`)
	for i, m := range spec.Mentors {
		if _, err := tx.ExecContext(ctx, q, id, strings.ToLower(m), m, "mentor", "", i); err != nil {
			return fmt.Errorf("insert mentor: %w", err)
		}
	}
	for i, m := range spec.Mentees {
		if _, err := tx.ExecContext(ctx, q, id, strings.ToLower(m.Handle), m.Handle, "mentee", m.Mentor, i); err != nil {
			return fmt.Errorf("insert mentee: %w", err)
		}
	}
	return nil
}

// Cohort loads one cohort by id, with mentee issue numbers filled in from the
// roster.
func (s *Store) Cohort(ctx context.Context, id int64) (Cohort, error) {
	var c Cohort
	var spec string
	var created, due int64
	err := s.QueryRow(ctx, `SELECT id, installation_id, repo, request_number, state, hub_number, spec, created_at,
		boundary_done, next_due FROM cohorts WHERE id = ?`, id).Scan(&c.ID, &c.InstallationID, &c.Repo, &c.RequestNumber,
		&c.State, &c.HubNumber, &spec, &created, &c.BoundaryDone, &due)
	if errors.Is(err, sql.ErrNoRows) {
		return Cohort{}, ErrNotFound
	}
	if err != nil {
		return Cohort{}, fmt.Errorf("load cohort %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(spec), &c.Spec); err != nil {
		return Cohort{}, fmt.Errorf("decode cohort %d: %w", id, err)
	}
	c.CreatedAt = time.Unix(created, 0).UTC()
	c.NextDue = time.Unix(due, 0).UTC()
	issues, err := s.menteeIssues(ctx, id)
	if err != nil {
		return Cohort{}, err
	}
	for i := range c.Spec.Mentees {
		c.Spec.Mentees[i].Issue = issues[strings.ToLower(c.Spec.Mentees[i].Handle)]
	}
	return c, nil
}

func (s *Store) menteeIssues(ctx context.Context, id int64) (map[string]int, error) {
	rows, err := s.Query(ctx, `SELECT handle_lower, issue_number FROM members WHERE cohort_id = ? AND role = 'mentee'`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var h string
		var n int
		if err := rows.Scan(&h, &n); err != nil {
			return nil, err
		}
		out[h] = n
	}
	return out, rows.Err()
}

// SetHubNumber records the hub issue of a cohort.
func (s *Store) SetHubNumber(ctx context.Context, id int64, number int) error {
	_, err := s.Exec(ctx, `UPDATE cohorts SET hub_number = ?, updated_at = ? WHERE id = ?`, number, time.Now().Unix(), id)
	return err
}

// SetMenteeIssue records a mentee's tracking issue.
func (s *Store) SetMenteeIssue(ctx context.Context, id int64, handle string, number int) error {
	_, err := s.Exec(ctx, `UPDATE members SET issue_number = ? WHERE cohort_id = ? AND role = 'mentee' AND handle_lower = ?`,
		number, id, strings.ToLower(handle))
	return err
}

// SetState moves a cohort to a new state.
func (s *Store) SetState(ctx context.Context, id int64, state string) error {
	_, err := s.Exec(ctx, `UPDATE cohorts SET state = ?, updated_at = ? WHERE id = ?`, state, time.Now().Unix(), id)
	return err
}

// BusyMentees maps each lower-cased handle that is an active mentee of an
// active (or being-created) cohort in repo, other than exceptID, to that
// cohort's slug.
func (s *Store) BusyMentees(ctx context.Context, repo string, exceptID int64) (map[string]string, error) {
	rows, err := s.Query(ctx, `SELECT m.handle_lower, c.slug FROM members m JOIN cohorts c ON c.id = m.cohort_id
		WHERE c.repo = ? AND c.state IN ('creating', 'active') AND c.id <> ? AND m.role = 'mentee' AND m.status = 'active'`,
		repo, exceptID)
	if err != nil {
		return nil, fmt.Errorf("list busy mentees: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var h, slug string
		if err := rows.Scan(&h, &slug); err != nil {
			return nil, err
		}
		out[h] = slug
	}
	return out, rows.Err()
}

// ActiveSlugs returns the slugs of the repo's cohorts that are not completed,
// other than exceptID, so a second cohort cannot take a running one's name.
func (s *Store) ActiveSlugs(ctx context.Context, repo string, exceptID int64) (map[string]bool, error) {
	return querySet[string](ctx, s, `SELECT slug FROM cohorts WHERE repo = ? AND state <> 'completed' AND id <> ?`, repo, exceptID)
}
