package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Member is one person on a cohort's roster.
type Member struct {
	Handle     string
	Role       string // mentor or mentee
	Mentor     string // a mentee's paired mentor
	Issue      int    // a mentee's tracking issue
	Status     string // active, withdrawn or removed
	Outcome    string
	JoinedWeek int
	// OutcomeLink is the link given with /graduate ("" when none).
	OutcomeLink string
	// LeftWeek is the week the mentee withdrew or was removed in; 0 while
	// on the roster.
	LeftWeek int
}

// Roles and statuses.
const (
	RoleMentor      = "mentor"
	RoleMentee      = "mentee"
	StatusActive    = "active"
	StatusWithdrawn = "withdrawn"
	StatusRemoved   = "removed"
)

// Members returns a cohort's roster in roster order, mentors first.
func (s *Store) Members(ctx context.Context, cohortID int64) ([]Member, error) {
	rows, err := s.Query(ctx, `SELECT handle, role, mentor, issue_number, status, outcome, joined_week, outcome_link, left_week FROM members
		WHERE cohort_id = ? ORDER BY role, position`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("load roster: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.Handle, &m.Role, &m.Mentor, &m.Issue, &m.Status, &m.Outcome, &m.JoinedWeek,
			&m.OutcomeLink, &m.LeftWeek); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Issue roles.
const (
	IssueHub    = "hub"
	IssueMentee = "mentee"
)

// CohortByIssue finds the cohort an issue of repo belongs to: its hub or a
// mentee's tracking issue. role says which; mentee names the mentee.
func (s *Store) CohortByIssue(ctx context.Context, repo string, number int) (c Cohort, role, mentee string, err error) {
	var id int64
	err = s.QueryRow(ctx, `SELECT id FROM cohorts WHERE repo = ? AND hub_number = ?`, repo, number).Scan(&id)
	role = IssueHub
	if errors.Is(err, sql.ErrNoRows) {
		role = IssueMentee
		err = s.QueryRow(ctx, `SELECT m.cohort_id, m.handle FROM members m JOIN cohorts c ON c.id = m.cohort_id
			WHERE c.repo = ? AND m.role = 'mentee' AND m.issue_number = ?`, repo, number).Scan(&id, &mentee)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Cohort{}, "", "", ErrNotFound
	}
	if err != nil {
		return Cohort{}, "", "", fmt.Errorf("find cohort of %s#%d: %w", repo, number, err)
	}
	c, err = s.Cohort(ctx, id)
	return c, role, mentee, err
}

// Checkin is one recorded weekly check-in.
type Checkin struct {
	CohortID   int64
	Mentee     string // lower-cased handle
	Week       int
	CommentID  int64
	CommentURL string
	Author     string
	Sections   []Section
	CreatedAt  time.Time
}

// Section is one named part of a check-in's status update, in the order the
// repository config lists them.
type Section struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// RecordCheckin stores a check-in, replacing the mentee's earlier one of the
// same week. changed is false when the stored check-in already said exactly
// this (a redelivery) or is newer (an older comment arriving late).
func (s *Store) RecordCheckin(ctx context.Context, c Checkin) (changed bool, err error) {
	sec, err := json.Marshal(c.Sections)
	if err != nil {
		return false, err
	}
	res, err := s.Exec(ctx, `INSERT INTO checkins (cohort_id, mentee_lower, week, comment_id, comment_url, author, sections, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (cohort_id, mentee_lower, week) DO UPDATE SET comment_id = excluded.comment_id,
		comment_url = excluded.comment_url, author = excluded.author, sections = excluded.sections, created_at = excluded.created_at
		WHERE excluded.created_at >= checkins.created_at AND (excluded.comment_id <> checkins.comment_id OR
		excluded.comment_url <> checkins.comment_url OR excluded.author <> checkins.author OR
		excluded.sections <> checkins.sections OR excluded.created_at <> checkins.created_at)`,
		c.CohortID, strings.ToLower(c.Mentee), c.Week, c.CommentID, c.CommentURL, c.Author, string(sec), c.CreatedAt.Unix())
	if err != nil {
		return false, fmt.Errorf("record check-in: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record check-in: %w", err)
	}
	return n > 0, nil
}

// DeleteCheckinByComment withdraws the check-in recorded from a comment; ok
// is false when that comment is not (or no longer) the recorded one.
func (s *Store) DeleteCheckinByComment(ctx context.Context, commentID int64) (c Checkin, ok bool, err error) {
	c, err = s.checkinByComment(ctx, commentID)
	if errors.Is(err, ErrNotFound) {
		return Checkin{}, false, nil
	}
	if err != nil {
		return Checkin{}, false, err
	}
	_, err = s.Exec(ctx, `DELETE FROM checkins WHERE comment_id = ?`, commentID)
	return c, err == nil, err
}

func (s *Store) checkinByComment(ctx context.Context, commentID int64) (Checkin, error) {
	cs, err := s.queryCheckins(ctx, `WHERE comment_id = ?`, commentID)
	if err != nil {
		return Checkin{}, err
	}
	if len(cs) == 0 {
		return Checkin{}, ErrNotFound
	}
	return cs[0], nil
}

// Checkins returns every check-in of a cohort.
func (s *Store) Checkins(ctx context.Context, cohortID int64) ([]Checkin, error) {
	return s.queryCheckins(ctx, `WHERE cohort_id = ? ORDER BY week, mentee_lower`, cohortID)
}

func (s *Store) queryCheckins(ctx context.Context, where string, args ...any) ([]Checkin, error) {
	rows, err := s.Query(ctx, `SELECT cohort_id, mentee_lower, week, comment_id, comment_url, author, sections, created_at
		FROM checkins `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load check-ins: %w", err)
	}
	defer rows.Close()
	var out []Checkin
	for rows.Next() {
		var c Checkin
		var sec string
		var created int64
		if err := rows.Scan(&c.CohortID, &c.Mentee, &c.Week, &c.CommentID, &c.CommentURL, &c.Author, &sec, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(sec), &c.Sections); err != nil {
			return nil, err
		}
		c.CreatedAt = time.Unix(created, 0).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddAway excuses a mentee from weeks.
func (s *Store) AddAway(ctx context.Context, cohortID int64, mentee string, weeks ...int) error {
	for _, w := range weeks {
		if _, err := s.Exec(ctx, `INSERT INTO aways (cohort_id, mentee_lower, week) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			cohortID, strings.ToLower(mentee), w); err != nil {
			return fmt.Errorf("record away: %w", err)
		}
	}
	return nil
}

// Aways maps lower-cased mentee → weeks away.
func (s *Store) Aways(ctx context.Context, cohortID int64) (map[string]map[int]bool, error) {
	rows, err := s.Query(ctx, `SELECT mentee_lower, week FROM aways WHERE cohort_id = ?`, cohortID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[int]bool{}
	for rows.Next() {
		var m string
		var w int
		if err := rows.Scan(&m, &w); err != nil {
			return nil, err
		}
		if out[m] == nil {
			out[m] = map[int]bool{}
		}
		out[m][w] = true
	}
	return out, rows.Err()
}

// SkipWeek marks a week as needing no check-ins.
func (s *Store) SkipWeek(ctx context.Context, cohortID int64, week int) error {
	_, err := s.Exec(ctx, `INSERT INTO skipped_weeks (cohort_id, week) VALUES (?, ?) ON CONFLICT DO NOTHING`, cohortID, week)
	return err
}

// SkippedWeeks returns the weeks marked /skip-week.
func (s *Store) SkippedWeeks(ctx context.Context, cohortID int64) (map[int]bool, error) {
	return querySet[int](ctx, s, `SELECT week FROM skipped_weeks WHERE cohort_id = ?`, cohortID)
}

// querySet runs a one-column query and returns its values as a set.
func querySet[T comparable](ctx context.Context, s *Store, q string, args ...any) (map[T]bool, error) {
	rows, err := s.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[T]bool{}
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}
