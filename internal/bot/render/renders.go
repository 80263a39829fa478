package render

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// ErrRerender means more changes arrived while rendering: run again.
var ErrRerender = errors.New("render again")

// RenderGitHub is what re-rendering a region needs.
type RenderGitHub interface {
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	SetIssueBody(ctx context.Context, repo string, number int, body string) error
}

// Render rewrites one bot-owned region from state, preserving the rest of
// the issue body (what humans wrote or ticked).
func Render(ctx context.Context, env *kernel.Env, g RenderGitHub, a kernel.RenderArgs) error {
	key := kernel.RenderKey(a.CohortID, a.Target)
	unlock, err := env.Lock(ctx, key)
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
	if rl := env.Yield(ctx, c.InstallationID, "render"); rl != nil {
		return rl // the wanted generation stays recorded: the snoozed job renders it
	}
	number, regions, err := RegionContents(ctx, env, c, a.Target)
	if err != nil || number == 0 {
		return err
	}
	is, err := g.GetIssue(ctx, c.Repo, number)
	if err != nil {
		return err
	}
	body := ApplyRegions(ctx, is.Body, number, regions)
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
func ApplyRegions(ctx context.Context, body string, number int, regions []region) string {
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
func RegionContents(ctx context.Context, env *kernel.Env, c store.Cohort, target string) (int, []region, error) {
	st, err := LoadState(ctx, env.Store, c)
	if err != nil {
		return 0, nil, err
	}
	number, handle := c.HubNumber, ""
	roster, err := hubRosterWithProgress(ctx, env, c)
	if err != nil {
		return 0, nil, err
	}
	regions := []region{{"roster", roster}, {"checkins", st.board()}}
	if target != kernel.TargetHub {
		handle = strings.TrimPrefix(target, "mentee:")
		m, ok := st.Mentee(handle)
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
	tasks, ok, err := tasks.TasksContent(ctx, env.Store, c, handle)
	if err != nil {
		return 0, nil, err
	}
	if ok {
		regions = append(regions, region{"tasks", tasks})
	}
	return number, regions, nil
}

// state is everything a board or log shows.
type State struct {
	Cohort   store.Cohort
	Cal      cohort.Calendar
	Members  []store.Member
	Checkins map[string]map[int]store.Checkin
	Aways    map[string]map[int]bool
	skipped  map[int]bool
	// closed: the cohort is closed or closing, so a week never settled
	// (after a /close-cohort) shows as not counted, never "not yet".
	closed bool
	// att is the attendance read model over the same facts: what is
	// expected, missed, and each board cell.
	Att *cohort.Attendance
}

func LoadState(ctx context.Context, s *store.Store, c store.Cohort) (*State, error) {
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return nil, err
	}
	st := &State{Cohort: c, Cal: cal, Checkins: map[string]map[int]store.Checkin{}}
	if st.Members, err = s.Members(ctx, c.ID); err != nil {
		return nil, err
	}
	cis, err := s.Checkins(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, ci := range cis {
		if st.Checkins[ci.Mentee] == nil {
			st.Checkins[ci.Mentee] = map[int]store.Checkin{}
		}
		st.Checkins[ci.Mentee][ci.Week] = ci
	}
	if st.Aways, err = s.Aways(ctx, c.ID); err != nil {
		return nil, err
	}
	if st.skipped, err = s.SkippedWeeks(ctx, c.ID); err != nil {
		return nil, err
	}
	if st.closed, err = kernel.ClosedOrClosing(ctx, s, c); err != nil {
		return nil, err
	}
	checked := map[string]map[int]bool{}
	for mentee, weeks := range st.Checkins {
		checked[mentee] = map[int]bool{}
		for w, ci := range weeks {
			checked[mentee][w] = ci.Week == w
		}
	}
	st.Att = store.AttendanceModel(st.Members, checked, st.Aways, st.skipped, cal.Weeks(), c.BoundaryDone, st.closed)
	return st, nil
}

// mentee finds a mentee of the roster.
func (st *State) Mentee(handle string) (store.Member, bool) {
	for _, m := range st.Members {
		if m.Role == store.RoleMentee && strings.EqualFold(m.Handle, handle) {
			return m, true
		}
	}
	return store.Member{}, false
}

// expected reports whether mentee m owes a check-in for week w.
func (st *State) Expected(m store.Member, w int) bool {
	return m.Role == store.RoleMentee && st.Att.Expected(m.Attendee(), w)
}

// boardMarks draws the read model's cells on the hub's board.
var boardMarks = map[cohort.Cell]string{
	cohort.CellCheckedIn: templates.MarkDone, cohort.CellSkipped: templates.MarkSkipped,
	cohort.CellAway: templates.MarkAway, cohort.CellOffRoster: templates.MarkNotCounted,
	cohort.CellMissed: templates.MarkMissed, cohort.CellNotCounted: templates.MarkNotCounted,
	cohort.CellNotYet: templates.MarkNotYet,
}

// cell is week w of mentee m on the board.
func (st *State) cell(m store.Member, w int) string { return boardMarks[st.Att.Cell(m.Attendee(), w)] }

func (st *State) board() string {
	var rows []templates.BoardRow
	for _, m := range st.Members {
		if m.Role != store.RoleMentee || m.Status == store.StatusRemoved {
			continue
		}
		row := templates.BoardRow{Handle: m.Handle}
		for w := 1; w <= st.Cal.Weeks(); w++ {
			row.Cells = append(row.Cells, st.cell(m, w))
		}
		rows = append(rows, row)
	}
	return templates.CheckinBoard(st.Cal.Weeks(), rows)
}

func (st *State) log(handle string) string {
	var entries []templates.LogEntry
	for w := 1; w <= st.Cal.Weeks(); w++ {
		ci, ok := st.Checkins[strings.ToLower(handle)][w]
		if !ok {
			continue
		}
		e := templates.LogEntry{Week: w, URL: ci.CommentURL, Author: ci.Author,
			From: cohort.DateOf(st.Cal.WeekStart(w)).String(), To: cohort.DateOf(st.Cal.WeekEnd(w).Add(-time.Minute)).String()}
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
