package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Task states.
const (
	TaskPending   = "pending" // asked the mentor which cohort it is for
	TaskOpen      = "open"
	TaskDone      = "done"
	TaskCancelled = "cancelled"
	// TaskReleased: the mentee left the cohort or the cohort closed while
	// the task was open; a mentor may /reassign or re-label it.
	TaskReleased = "released"
)

// Task kinds.
const (
	KindIssue = "issue"
	KindPR    = "pr"
)

// Task is an issue or pull request a mentor labelled as a mentoring task.
type Task struct {
	Repo           string // owner/name of the task's repository
	Number         int
	InstallationID int64
	Kind           string // KindIssue or KindPR
	Title          string
	URL            string
	Label          string // the task label that made it a task
	CohortID       int64  // 0 while pending
	Candidates     []int64
	Mentor         string
	Mentee         string // "" when no mentee could take it
	State          string
	Round          int
	Seq            int64
	Cause          string
	Passed         []string
	AssignedAt     time.Time
	ClosedAt       time.Time
	CreatedAt      time.Time
	// LastActivity is the latest review, comment or commit by the current
	// mentee on the task (zero: none since it was handed out), SPEC §13.
	LastActivity time.Time
	// Stalled lists the mentees the task was taken from because it stalled,
	// as "handle:days" (see StallNote).
	Stalled []string
}

// Ref is the task as GitHub writes a cross-repository reference.
func (t Task) Ref() string { return t.Repo + "#" + strconv.Itoa(t.Number) }

// Live reports whether the task still awaits something (an answer or a
// mentee's work).
func (t Task) Live() bool { return t.State == TaskPending || t.State == TaskOpen }

const taskColumns = `repo, number, installation_id, kind, title, url, label, cohort_id, candidates, mentor, mentee,
	state, round, seq, cause, passed, assigned_at, closed_at, created_at, last_activity_at, stalled`

// Task loads the task of repo#number, or ErrNotFound.
func (s *Store) Task(ctx context.Context, repo string, number int) (Task, error) {
	rows, err := s.Query(ctx, `SELECT `+taskColumns+` FROM tasks WHERE repo_lower = ? AND number = ?`,
		strings.ToLower(repo), number)
	if err != nil {
		return Task{}, fmt.Errorf("load task %s#%d: %w", repo, number, err)
	}
	ts, err := scanTasks(rows)
	if err != nil {
		return Task{}, err
	}
	if len(ts) == 0 {
		return Task{}, ErrNotFound
	}
	return ts[0], nil
}

// PutTask stores the task, replacing the stored row of the same repo#number.
func (s *Store) PutTask(ctx context.Context, t Task) error {
	_, err := s.Exec(ctx, `INSERT INTO tasks (repo_lower, `+taskColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo_lower, number) DO UPDATE SET repo = excluded.repo, installation_id = excluded.installation_id,
		kind = excluded.kind, title = excluded.title, url = excluded.url, label = excluded.label,
		cohort_id = excluded.cohort_id, candidates = excluded.candidates, mentor = excluded.mentor,
		mentee = excluded.mentee, state = excluded.state, round = excluded.round, seq = excluded.seq,
		cause = excluded.cause, passed = excluded.passed, assigned_at = excluded.assigned_at,
		closed_at = excluded.closed_at, created_at = excluded.created_at,
		last_activity_at = excluded.last_activity_at, stalled = excluded.stalled`,
		strings.ToLower(t.Repo), t.Repo, t.Number, t.InstallationID, t.Kind, t.Title, t.URL, t.Label, t.CohortID,
		joinIDs(t.Candidates), t.Mentor, t.Mentee, t.State, t.Round, t.Seq, t.Cause, strings.Join(t.Passed, ","),
		taskUnix(t.AssignedAt), taskUnix(t.ClosedAt), taskUnix(t.CreatedAt), taskUnix(t.LastActivity), strings.Join(t.Stalled, ","))
	if err != nil {
		return fmt.Errorf("store task %s: %w", t.Ref(), err)
	}
	return nil
}

// CohortTasks returns the tasks of a cohort (not the pending ones, which
// belong to no cohort yet), in assignment order.
func (s *Store) CohortTasks(ctx context.Context, cohortID int64) ([]Task, error) {
	rows, err := s.Query(ctx, `SELECT `+taskColumns+` FROM tasks WHERE cohort_id = ? ORDER BY seq, repo_lower, number`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("list tasks of cohort %d: %w", cohortID, err)
	}
	return scanTasks(rows)
}

// NextTaskSeq returns the next assignment sequence number of a cohort. The
// caller holds the cohort's lock.
func (s *Store) NextTaskSeq(ctx context.Context, cohortID int64) (int64, error) {
	var n sql.NullInt64
	if err := s.QueryRow(ctx, `SELECT MAX(seq) FROM tasks WHERE cohort_id = ?`, cohortID).Scan(&n); err != nil {
		return 0, fmt.Errorf("next task seq: %w", err)
	}
	return n.Int64 + 1, nil
}

// MentorCohorts returns the ids of the active cohorts of an installation in
// which handle is an active mentor, in ascending order. It is the first
// thing a label event asks, answered from one index, so the flood of label
// events from people who mentor nobody costs no GitHub call.
func (s *Store) MentorCohorts(ctx context.Context, installation int64, handle string) ([]int64, error) {
	return s.ids(ctx, "find cohorts mentored by "+handle, `SELECT c.id FROM members m JOIN cohorts c ON c.id = m.cohort_id
		WHERE m.handle_lower = ? AND m.role = 'mentor' AND m.status = 'active'
		AND c.state = 'active' AND c.installation_id = ? ORDER BY c.id`, strings.ToLower(handle), installation)
}

func scanTasks(rows *sql.Rows) ([]Task, error) {
	defer rows.Close()
	var out []Task
	for rows.Next() {
		var t Task
		var cands, passed, stalled string
		var assigned, closed, created, active int64
		err := rows.Scan(&t.Repo, &t.Number, &t.InstallationID, &t.Kind, &t.Title, &t.URL, &t.Label, &t.CohortID,
			&cands, &t.Mentor, &t.Mentee, &t.State, &t.Round, &t.Seq, &t.Cause, &passed, &assigned, &closed, &created, &active, &stalled)
		if err != nil {
			return nil, fmt.Errorf("read task: %w", err)
		}
		if t.Candidates, err = splitIDs(cands); err != nil {
			return nil, err
		}
		if passed != "" {
			t.Passed = strings.Split(passed, ",")
		}
		t.AssignedAt, t.ClosedAt, t.CreatedAt = taskTime(assigned), taskTime(closed), taskTime(created)
		t.LastActivity = taskTime(active)
		if stalled != "" {
			t.Stalled = strings.Split(stalled, ",")
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func splitIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var out []int64
	for _, p := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, errors.New("bad cohort id in task candidates: " + p)
		}
		out = append(out, id)
	}
	return out, nil
}

// taskUnix stores the zero time as 0, not as year 1's negative seconds.
func taskUnix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func taskTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}
