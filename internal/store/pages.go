package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// This file holds the reads of the web pages (SPEC §14) and the record of
// each repository's visibility they depend on. The pages never ask GitHub:
// everything they show is read here.

// NoteRepoVisibility records repository.private of a webhook payload, when
// the payload names a repository. It writes only when the value changed, so
// the deliveries of a busy repository cost one indexed read each.
func (s *Store) NoteRepoVisibility(ctx context.Context, payload []byte) error {
	r := gjson.GetManyBytes(payload, "repository.full_name", "repository.private")
	if r[0].String() == "" || !r[1].Exists() {
		return nil
	}
	return s.SetRepoPrivate(ctx, r[0].String(), r[1].Bool())
}

// SetRepoPrivate records whether repo is private.
func (s *Store) SetRepoPrivate(ctx context.Context, repo string, private bool) error {
	v := 0
	if private {
		v = 1
	}
	_, err := s.Exec(ctx, `INSERT INTO repo_visibility (repo_lower, private, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (repo_lower) DO UPDATE SET private = excluded.private, updated_at = excluded.updated_at
		WHERE repo_visibility.private <> excluded.private`, strings.ToLower(repo), v, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("record visibility of %s: %w", repo, err)
	}
	return nil
}

// PageCohort is a cohort as the pages list it.
type PageCohort struct {
	Cohort
	// Private is true when the repository is private or its visibility was
	// never heard of (the safe default).
	Private   bool
	UpdatedAt time.Time
}

const pageCohortColumns = `SELECT c.id, c.installation_id, c.repo, c.request_number, c.state, c.hub_number, c.spec,
	c.created_at, c.updated_at, c.boundary_done, COALESCE(v.private, 1)
	FROM cohorts c LEFT JOIN repo_visibility v ON v.repo_lower = LOWER(c.repo) `

// PageCohorts lists every cohort past creation, by repository, newest first,
// with only the overview's fields of their specs.
func (s *Store) PageCohorts(ctx context.Context) ([]PageCohort, error) {
	rows, err := s.Query(ctx, pageCohortColumns+`WHERE c.state <> 'creating' ORDER BY c.repo, c.created_at DESC, c.id`)
	if err != nil {
		return nil, fmt.Errorf("list cohorts: %w", err)
	}
	return scanPageCohorts(rows, false)
}

// PageCohortBySlug finds the cohort of repo called slug: the running one,
// else the newest completed one (a completed cohort's slug may be reused).
func (s *Store) PageCohortBySlug(ctx context.Context, repo, slug string) (PageCohort, error) {
	rows, err := s.Query(ctx, pageCohortColumns+`WHERE LOWER(c.repo) = ? AND c.slug = ? AND c.state <> 'creating'
		ORDER BY CASE c.state WHEN 'active' THEN 0 ELSE 1 END, c.created_at DESC LIMIT 1`, strings.ToLower(repo), slug)
	if err != nil {
		return PageCohort{}, fmt.Errorf("find cohort %s/%s: %w", repo, slug, err)
	}
	cs, err := scanPageCohorts(rows, true)
	if err != nil {
		return PageCohort{}, err
	}
	if len(cs) == 0 {
		return PageCohort{}, ErrNotFound
	}
	return cs[0], nil
}

// overviewSpec is the part of a spec the overview shows: decoding only it
// skips the rosters and notes of a hundred specs.
type overviewSpec struct {
	Name  string      `json:"name"`
	Slug  string      `json:"slug"`
	Step  string      `json:"step"`
	Start cohort.Date `json:"start"`
	End   cohort.Date `json:"end"`
}

// scanPageCohorts reads the rows of pageCohortColumns; full decodes the whole
// spec (a cohort's page), otherwise only overviewSpec's fields.
func scanPageCohorts(rows *sql.Rows, full bool) ([]PageCohort, error) {
	defer rows.Close()
	var out []PageCohort
	for rows.Next() {
		var c PageCohort
		var spec string
		var created, updated int64
		var private int
		if err := rows.Scan(&c.ID, &c.InstallationID, &c.Repo, &c.RequestNumber, &c.State, &c.HubNumber, &spec,
			&created, &updated, &c.BoundaryDone, &private); err != nil {
			return nil, err
		}
		if full {
			if err := json.Unmarshal([]byte(spec), &c.Spec); err != nil {
				return nil, fmt.Errorf("decode cohort %d: %w", c.ID, err)
			}
		} else {
			var o overviewSpec
			if err := json.Unmarshal([]byte(spec), &o); err != nil {
				return nil, fmt.Errorf("decode cohort %d: %w", c.ID, err)
			}
			c.Spec = cohort.Spec{Name: o.Name, Slug: o.Slug, Step: o.Step, Start: o.Start, End: o.End}
		}
		c.CreatedAt = time.Unix(created, 0).UTC()
		c.UpdatedAt = time.Unix(updated, 0).UTC()
		c.Private = private != 0
		out = append(out, c)
	}
	return out, rows.Err()
}

// Attendance is what a cohort's attendance figures are computed from.
type Attendance struct {
	Members []Member
	// Checked maps lower-cased mentee → weeks checked in.
	Checked map[string]map[int]bool
	Aways   map[string]map[int]bool
	Skipped map[int]bool
}

// CohortAttendance loads one cohort's attendance.
func (s *Store) CohortAttendance(ctx context.Context, id int64) (*Attendance, error) {
	a := &Attendance{Checked: map[string]map[int]bool{}}
	var err error
	if a.Members, err = s.Members(ctx, id); err != nil {
		return nil, err
	}
	err = s.scanWeeks(ctx, `SELECT cohort_id, mentee_lower, week FROM checkins WHERE cohort_id = ?`, func(_ int64, m string, w int) {
		if a.Checked[m] == nil {
			a.Checked[m] = map[int]bool{}
		}
		a.Checked[m][w] = true
	}, id)
	if err != nil {
		return nil, err
	}
	if a.Aways, err = s.Aways(ctx, id); err != nil {
		return nil, err
	}
	a.Skipped, err = s.SkippedWeeks(ctx, id)
	return a, err
}

func (s *Store) scanWeeks(ctx context.Context, q string, fn func(id int64, mentee string, week int), args ...any) error {
	rows, err := s.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("load weeks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m string
		var w int
		if err := rows.Scan(&id, &m, &w); err != nil {
			return err
		}
		fn(id, m, w)
	}
	return rows.Err()
}

// PrivateRepoInstallations maps each private repository that has cohorts to
// its installation, so a signed-in visitor's access can be checked once.
func (s *Store) PrivateRepoInstallations(ctx context.Context) (map[string]int64, error) {
	rows, err := s.Query(ctx, `SELECT DISTINCT c.repo, c.installation_id FROM cohorts c
		LEFT JOIN repo_visibility v ON v.repo_lower = LOWER(c.repo) WHERE COALESCE(v.private, 1) <> 0`)
	if err != nil {
		return nil, fmt.Errorf("list private repositories: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var repo string
		var inst int64
		if err := rows.Scan(&repo, &inst); err != nil {
			return nil, err
		}
		out[strings.ToLower(repo)] = inst
	}
	return out, rows.Err()
}

// MaxPendingSignIns bounds the sign-ins started and not finished: /login is
// open to anyone, and each visit stores a row until it expires.
const MaxPendingSignIns = 10000

// ErrTooManySignIns is PutOAuthState's answer beyond MaxPendingSignIns.
var ErrTooManySignIns = errors.New("too many sign-ins in progress")

// PutOAuthState records a sign-in's state until expires, and drops the
// expired ones (few: sign-ins abandoned half way).
func (s *Store) PutOAuthState(ctx context.Context, state string, now, expires time.Time) error {
	if _, err := s.Exec(ctx, `DELETE FROM oauth_states WHERE expires_at < ?`, now.Unix()); err != nil {
		return fmt.Errorf("drop expired sign-ins: %w", err)
	}
	var n int
	if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM oauth_states`).Scan(&n); err != nil {
		return fmt.Errorf("count sign-ins: %w", err)
	}
	if n >= MaxPendingSignIns {
		return ErrTooManySignIns
	}
	_, err := s.Exec(ctx, `INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)`, state, expires.Unix())
	if err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	return nil
}

// TakeOAuthState consumes a sign-in's state: true only the first time, and
// only before it expires.
func (s *Store) TakeOAuthState(ctx context.Context, state string, now time.Time) (bool, error) {
	res, err := s.Exec(ctx, `DELETE FROM oauth_states WHERE state = ? AND expires_at >= ?`, state, now.Unix())
	if err != nil {
		return false, fmt.Errorf("consume sign-in: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// checkedMasks reads the check-ins of weeks 1 to 62 as one bit mask per
// mentee (the primary key makes every week's bit appear once, so the sum is
// the mask): a tenth of the rows of reading each check-in, which is what
// keeps the overview of a large program fast.
func (s *Store) checkedMasks(ctx context.Context, get func(int64) *Attendance) error {
	rows, err := s.Query(ctx, `SELECT cohort_id, mentee_lower, CAST(SUM(CAST(1 AS BIGINT) << week) AS BIGINT)
		FROM checkins WHERE week BETWEEN 1 AND 62 GROUP BY cohort_id, mentee_lower`)
	if err != nil {
		return fmt.Errorf("load check-ins: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, mask int64
		var m string
		if err := rows.Scan(&id, &m, &mask); err != nil {
			return err
		}
		weeks := map[int]bool{}
		for w := 1; w <= 62; w++ {
			if mask&(1<<w) != 0 {
				weeks[w] = true
			}
		}
		get(id).Checked[m] = weeks
	}
	return rows.Err()
}

// CohortFigures are a cohort's headline numbers on the overview.
type CohortFigures struct {
	// Mentees counts the mentees not removed; Graduated those graduated.
	Mentees, Graduated int
	// Checked counts the check-ins of the weeks that have ended; Missed the
	// weeks that ended with a mentee on the roster, not away, not skipped
	// and not checked in. The check-in rate is Checked ÷ (Checked + Missed).
	Checked, Missed int
}

// figuresQuery computes CohortFigures in the database, one row per cohort,
// by the rules of the hub's board (internal/web: cellState): a check-in
// counts whatever else holds that week; otherwise a skipped week, an away
// week or a week off the roster is not missed. lo and hi bound each mentee's
// roster weeks among the weeks ended.
const figuresQuery = `SELECT r.cohort_id, COUNT(*),
	CAST(SUM(CASE WHEN r.outcome = 'graduated' THEN 1 ELSE 0 END) AS BIGINT),
	CAST(SUM((SELECT COUNT(*) FROM checkins c WHERE c.cohort_id = r.cohort_id AND c.mentee_lower = r.mentee
		AND c.week BETWEEN 1 AND r.done)) AS BIGINT),
	CAST(SUM(CASE WHEN r.hi < r.lo THEN 0 ELSE r.hi - r.lo + 1
		- (SELECT COUNT(*) FROM checkins c WHERE c.cohort_id = r.cohort_id AND c.mentee_lower = r.mentee
			AND c.week BETWEEN r.lo AND r.hi)
		- (SELECT COUNT(*) FROM skipped_weeks s WHERE s.cohort_id = r.cohort_id AND s.week BETWEEN r.lo AND r.hi
			AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.cohort_id = r.cohort_id AND c.mentee_lower = r.mentee
				AND c.week = s.week))
		- (SELECT COUNT(*) FROM aways a WHERE a.cohort_id = r.cohort_id AND a.mentee_lower = r.mentee
			AND a.week BETWEEN r.lo AND r.hi
			AND NOT EXISTS (SELECT 1 FROM skipped_weeks s WHERE s.cohort_id = r.cohort_id AND s.week = a.week)
			AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.cohort_id = r.cohort_id AND c.mentee_lower = r.mentee
				AND c.week = a.week)) END) AS BIGINT)
	FROM (SELECT m.cohort_id, m.handle_lower AS mentee, m.outcome, k.boundary_done AS done,
		CASE WHEN m.joined_week > 1 THEN m.joined_week ELSE 1 END AS lo,
		CASE WHEN m.status = 'active' OR m.left_week - 1 > k.boundary_done THEN k.boundary_done
			ELSE m.left_week - 1 END AS hi
		FROM members m JOIN cohorts k ON k.id = m.cohort_id
		WHERE m.role = 'mentee' AND m.status <> 'removed' AND k.state <> 'creating') r
	GROUP BY r.cohort_id`

// ProgramFigures computes every cohort's figures in one query, for the
// overview: a hundred rows, not the program's every check-in.
func (s *Store) ProgramFigures(ctx context.Context) (map[int64]CohortFigures, error) {
	rows, err := s.Query(ctx, figuresQuery)
	if err != nil {
		return nil, fmt.Errorf("compute the overview's figures: %w", err)
	}
	defer rows.Close()
	out := map[int64]CohortFigures{}
	for rows.Next() {
		var id int64
		var f CohortFigures
		if err := rows.Scan(&id, &f.Mentees, &f.Graduated, &f.Checked, &f.Missed); err != nil {
			return nil, err
		}
		out[id] = f
	}
	return out, rows.Err()
}

// Model is the attendance read model of a cohort of the given length,
// with its first settled weeks settled; closed for a completed cohort.
func (a *Attendance) Model(weeks, settled int, closed bool) *cohort.Attendance {
	return AttendanceModel(a.Members, a.Checked, a.Aways, a.Skipped, weeks, settled, closed)
}
