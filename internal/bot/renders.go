package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// Render targets: the hub's check-in board, or a mentee issue's log.
const TargetHub = "hub"

// TargetMentee names the log of mentee handle.
func TargetMentee(handle string) string { return "mentee:" + strings.ToLower(handle) }

// RenderArgs is the job that re-renders one bot-owned region.
type RenderArgs struct {
	CohortID int64  `json:"cohort_id"`
	Target   string `json:"target"`
	// Again marks the follow-up render asked for while one was running
	// (see RequestRenders); it renders the same way.
	Again bool `json:"again,omitempty"`
}

// Kind names the job kind.
func (RenderArgs) Kind() string { return "render" }

// CoalesceWindow is how long a render waits for more changes to gather, so a
// burst of check-ins re-renders the hub once or twice, not once each.
const CoalesceWindow = 700 * time.Millisecond

// Jobs inserts jobs (the queue).
type Jobs interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// renderUnique: one pending render per target. A render asked for while
// one runs is usually caught by the generation check at the end of the
// running one — but not when it is asked for between that check and River
// marking the job completed (River counts a running job as a duplicate):
// RequestRenders then queues one follow-up render (Again, unique too).
var renderUnique = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}}

// RequestRenders asks for the targets to be re-rendered soon. The job is
// scheduled on the wall clock: coalescing is infrastructure, not domain time.
func (e *Env) RequestRenders(ctx context.Context, cohortID int64, targets ...string) error {
	for _, t := range targets {
		if err := e.Store.WantRender(ctx, renderKey(cohortID, t)); err != nil {
			return err
		}
		res, err := e.Jobs.Insert(ctx, RenderArgs{CohortID: cohortID, Target: t}, &river.InsertOpts{
			UniqueOpts: renderUnique, Priority: 3,
		})
		if err != nil {
			return fmt.Errorf("queue render: %w", err)
		}
		if res != nil && res.UniqueSkippedAsDuplicate && res.Job != nil && res.Job.State == rivertype.JobStateRunning {
			_, err = e.Jobs.Insert(ctx, RenderArgs{CohortID: cohortID, Target: t, Again: true}, &river.InsertOpts{
				UniqueOpts: renderUnique, Priority: 3,
			})
			if err != nil {
				return fmt.Errorf("queue render: %w", err)
			}
		}
	}
	return nil
}

// ErrRerender means more changes arrived while rendering: run again.
var ErrRerender = errors.New("render again")

// RenderGitHub is what re-rendering a region needs.
type RenderGitHub interface {
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	SetIssueBody(ctx context.Context, repo string, number int, body string) error
}

// Render rewrites one bot-owned region from state, preserving the rest of
// the issue body (what humans wrote or ticked).
func Render(ctx context.Context, env *Env, g RenderGitHub, a RenderArgs) error {
	key := renderKey(a.CohortID, a.Target)
	unlock, err := env.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	gen, done, err := env.Store.RenderGeneration(ctx, key)
	if err != nil {
		return err
	}
	if gen <= done {
		// Written since it was asked for (a check-in writes its mentee's
		// log at once): nothing new to show, no request to send.
		return nil
	}
	c, err := env.Store.Cohort(ctx, a.CohortID)
	if err != nil {
		return err
	}
	if rl := env.yield(ctx, c.InstallationID, "render"); rl != nil {
		return rl // the wanted generation stays recorded: the snoozed job renders it
	}
	number, regions, err := regionContents(ctx, env, c, a.Target)
	if err != nil || number == 0 {
		return err
	}
	is, err := g.GetIssue(ctx, c.Repo, number)
	if err != nil {
		return err
	}
	body := applyRegions(ctx, is.Body, number, regions)
	if body != is.Body {
		if err := g.SetIssueBody(ctx, c.Repo, number, body); err != nil {
			return err
		}
	}
	if err := env.Store.MarkRendered(ctx, key, gen); err != nil {
		return err
	}
	if wanted, _, err := env.Store.RenderGeneration(ctx, key); err == nil && wanted > gen {
		return ErrRerender
	}
	return nil
}

type region struct{ name, content string }

// applyRegions writes each region's content into body; a region a human
// deleted is appended again (and stray markers of it removed first).
func applyRegions(ctx context.Context, body string, number int, regions []region) string {
	for _, r := range regions {
		var ok bool
		if body, ok = templates.ReplaceRegion(body, r.name, r.content); !ok {
			ev := zerolog.Ctx(ctx).Warn()
			if r.name == ladderRegionName {
				ev = zerolog.Ctx(ctx).Debug() // added at the first measurement, not deleted by anyone
			}
			ev.Int("issue", number).Str("region", r.name).Msg("bot-owned region missing from the body; appended again")
			body = strings.TrimRight(templates.StripRegion(body, r.name), "\n") + "\n\n" + templates.Region(r.name, r.content) + "\n"
		}
	}
	return body
}

// regionContents computes what a target's regions show: the hub's check-in
// board and task board, or a mentee's log and tasks.
func regionContents(ctx context.Context, env *Env, c store.Cohort, target string) (int, []region, error) {
	st, err := loadState(ctx, env.Store, c)
	if err != nil {
		return 0, nil, err
	}
	number, handle := c.HubNumber, ""
	roster, err := hubRosterWithProgress(ctx, env, c)
	if err != nil {
		return 0, nil, err
	}
	regions := []region{{"roster", roster}, {"checkins", st.board()}}
	if target != TargetHub {
		handle = strings.TrimPrefix(target, "mentee:")
		m, ok := st.mentee(handle)
		if !ok {
			return 0, nil, nil
		}
		number, regions = m.Issue, []region{{"log", st.log(m.Handle)}}
		if lr, ok, err := ladderRegion(ctx, env, c, m.Handle); err != nil {
			return 0, nil, err
		} else if ok {
			regions = append(regions, region{ladderRegionName, lr})
		}
	}
	tasks, ok, err := tasksContent(ctx, env.Store, c, handle)
	if err != nil {
		return 0, nil, err
	}
	if ok {
		regions = append(regions, region{"tasks", tasks})
	}
	return number, regions, nil
}

// state is everything a board or log shows.
type state struct {
	c        store.Cohort
	cal      cohort.Calendar
	members  []store.Member
	checkins map[string]map[int]store.Checkin
	aways    map[string]map[int]bool
	skipped  map[int]bool
	// closed: the cohort is closed or closing, so a week never settled
	// (after a /close-cohort) shows as not counted, never "not yet".
	closed bool
	// att is the attendance read model over the same facts: what is
	// expected, missed, and each board cell.
	att *cohort.Attendance
}

func loadState(ctx context.Context, s *store.Store, c store.Cohort) (*state, error) {
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return nil, err
	}
	st := &state{c: c, cal: cal, checkins: map[string]map[int]store.Checkin{}}
	if st.members, err = s.Members(ctx, c.ID); err != nil {
		return nil, err
	}
	cis, err := s.Checkins(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, ci := range cis {
		if st.checkins[ci.Mentee] == nil {
			st.checkins[ci.Mentee] = map[int]store.Checkin{}
		}
		st.checkins[ci.Mentee][ci.Week] = ci
	}
	if st.aways, err = s.Aways(ctx, c.ID); err != nil {
		return nil, err
	}
	if st.skipped, err = s.SkippedWeeks(ctx, c.ID); err != nil {
		return nil, err
	}
	if st.closed, err = closedOrClosing(ctx, s, c); err != nil {
		return nil, err
	}
	checked := map[string]map[int]bool{}
	for mentee, weeks := range st.checkins {
		checked[mentee] = map[int]bool{}
		for w, ci := range weeks {
			checked[mentee][w] = ci.Week == w
		}
	}
	st.att = store.AttendanceModel(st.members, checked, st.aways, st.skipped, cal.Weeks(), c.BoundaryDone, st.closed)
	return st, nil
}

// mentee finds a mentee of the roster.
func (st *state) mentee(handle string) (store.Member, bool) {
	for _, m := range st.members {
		if m.Role == store.RoleMentee && strings.EqualFold(m.Handle, handle) {
			return m, true
		}
	}
	return store.Member{}, false
}

// expected reports whether mentee m owes a check-in for week w.
func (st *state) expected(m store.Member, w int) bool {
	return m.Role == store.RoleMentee && st.att.Expected(m.Attendee(), w)
}

// boardMarks draws the read model's cells on the hub's board.
var boardMarks = map[cohort.Cell]string{
	cohort.CellCheckedIn: templates.MarkDone, cohort.CellSkipped: templates.MarkSkipped,
	cohort.CellAway: templates.MarkAway, cohort.CellOffRoster: templates.MarkNotCounted,
	cohort.CellMissed: templates.MarkMissed, cohort.CellNotCounted: templates.MarkNotCounted,
	cohort.CellNotYet: templates.MarkNotYet,
}

// cell is week w of mentee m on the board.
func (st *state) cell(m store.Member, w int) string { return boardMarks[st.att.Cell(m.Attendee(), w)] }

func (st *state) board() string {
	var rows []templates.BoardRow
	for _, m := range st.members {
		if m.Role != store.RoleMentee || m.Status == store.StatusRemoved {
			continue
		}
		row := templates.BoardRow{Handle: m.Handle}
		for w := 1; w <= st.cal.Weeks(); w++ {
			row.Cells = append(row.Cells, st.cell(m, w))
		}
		rows = append(rows, row)
	}
	return templates.CheckinBoard(st.cal.Weeks(), rows)
}

func (st *state) log(handle string) string {
	var entries []templates.LogEntry
	for w := 1; w <= st.cal.Weeks(); w++ {
		ci, ok := st.checkins[strings.ToLower(handle)][w]
		if !ok {
			continue
		}
		e := templates.LogEntry{Week: w, URL: ci.CommentURL, Author: ci.Author,
			From: cohort.DateOf(st.cal.WeekStart(w)).String(), To: cohort.DateOf(st.cal.WeekEnd(w).Add(-time.Minute)).String()}
		if !strings.EqualFold(ci.Author, handle) {
			e.ByMentorOf = handle
		}
		for _, s := range ci.Sections {
			e.Sections = append(e.Sections, [2]string{s.Name, s.Text})
		}
		entries = append(entries, e)
	}
	return templates.MenteeLog(entries)
}
