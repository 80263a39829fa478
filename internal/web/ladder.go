package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
)

// Ladder progress on the pages (SPEC §10, §14): each mentee's measured
// requirements, read from the database like everything else on the pages.
// What counts as met, the marks and the search links are internal/ladder's,
// the same as the mentee issue's "Ladder progress" region.

// States of a ladder progress cell (its class and data-state); each also
// reads in words, so the table needs no colour.
const (
	LadderMet        = "met"
	LadderNotMet     = "not-met"
	LadderIncomplete = "incomplete"
	LadderFailed     = "failed"
	LadderUnmeasured = "unmeasured"
)

// ladderCell is one requirement of one mentee.
type ladderCell struct {
	State string
	// Figure is the count as the hub's roster shows it ("reviewed 12/20";
	// "reviewed ?/20" before an answer); "" when nothing is queued.
	Figure string
	// URL is the GitHub web search that produced the count.
	URL string
	// Mark and Words say the state: "✅" "met", "⚠️" "could not be
	// measured: …".
	Mark, Words string
}

// ladderRow is one mentee's progress.
type ladderRow struct {
	Handle string
	// IssueURL is the mentee's tracking issue, whose "Ladder progress"
	// region links every search.
	IssueURL string
	Cells    []ladderCell
	// Ready: every requirement met (the mentee issue's ladder/ready).
	Ready bool
	// Measured: any requirement has an answer.
	Measured bool
	// Last is the day of the latest answer ("" before any).
	Last string
}

// ladderSection is the cohort page's "Ladder progress".
type ladderSection struct {
	// Requirements are the column headings ("PRs reviewed").
	Requirements []string
	Rows         []ladderRow
	// Compact: the searches are not linked here (the page would pass its
	// size budget) but from each mentee's tracking issue.
	Compact bool
	// Ready is "N/M" mentees ready to nominate, "" when nothing is measured.
	Ready string
}

// rowsByMentee groups measurements into internal/ladder's rows, by
// lower-cased handle, and lists the requirements in order of appearance.
func rowsByMentee(ms []store.Measurement) (map[string][]ladder.Row, []string) {
	out := map[string][]ladder.Row{}
	var reqs []string
	for _, m := range ms {
		if !contains(reqs, m.Requirement) {
			reqs = append(reqs, m.Requirement)
		}
		h := strings.ToLower(m.Handle)
		out[h] = append(out[h], ladder.Row{Requirement: m.Requirement, Target: m.Target, Total: m.Total,
			Incomplete: m.Incomplete, Failure: m.Failure, Query: m.Query, Measured: m.Measured})
	}
	return out, reqs
}

// anyMeasured reports whether any row has an answer (or a failure).
func anyMeasured(rows []ladder.Row) bool {
	for _, r := range rows {
		if !r.Measured.IsZero() || r.Failure != "" {
			return true
		}
	}
	return false
}

// readyOf is "N/M": of n mentees, those whose rows (by holds only the
// shown mentees') are all met; "" when none was measured yet.
func readyOf(by map[string][]ladder.Row, n int) string {
	ready, measured := countReady(by)
	if !measured {
		return ""
	}
	return strconv.Itoa(ready) + "/" + strconv.Itoa(n)
}

// countReady counts the mentees of by with every requirement met, and
// reports whether any of them was measured.
func countReady(by map[string][]ladder.Row) (ready int, measured bool) {
	for _, rows := range by {
		measured = measured || anyMeasured(rows)
		if ladder.AllMet(rows) {
			ready++
		}
	}
	return ready, measured
}

// buildLadder is the section for the roster's mentees (in roster order).
func (h *Handler) buildLadder(roster []rosterRow, ms []store.Measurement) ladderSection {
	mentees := rosterMentees(roster)
	by, reqs := rowsByMentee(ms)
	shown := map[string][]ladder.Row{}
	for _, m := range mentees {
		if rows, ok := by[strings.ToLower(m)]; ok {
			shown[strings.ToLower(m)] = rows
		}
	}
	sec := ladderSection{Ready: readyOf(shown, len(mentees))}
	for _, r := range reqs {
		sec.Requirements = append(sec.Requirements, ladder.Label(r))
	}
	for _, m := range roster {
		if m.Role != store.RoleMentee {
			continue
		}
		rows := by[strings.ToLower(m.Handle)]
		lr := ladderRow{Handle: m.Handle, IssueURL: m.IssueURL, Ready: ladder.AllMet(rows), Measured: anyMeasured(rows), Last: day(lastAnswer(rows))}
		for _, req := range reqs {
			lr.Cells = append(lr.Cells, h.ladderCell(req, rows))
		}
		sec.Rows = append(sec.Rows, lr)
	}
	return sec
}

// maxFailureRunes bounds a failure's reason on the page (the mentee's
// issue has it whole).
const maxFailureRunes = 200

// ladderCell is requirement req of a mentee's rows.
func (h *Handler) ladderCell(req string, rows []ladder.Row) ladderCell {
	for _, r := range rows {
		if r.Requirement != req {
			continue
		}
		mark, _ := r.Status()
		c := ladderCell{URL: safeLink(ladder.WebURL(h.opts.WebURL, r.Query)), Mark: mark,
			Figure: ladder.Short(r.Requirement) + " " + strconv.Itoa(r.Total) + "/" + strconv.Itoa(r.Target)}
		switch {
		case r.Failure != "":
			why, _ := cutRunes(r.Failure, maxFailureRunes, false)
			c.State, c.Words = LadderFailed, "could not be measured: "+why
			c.Figure = ladder.Short(r.Requirement) + " ?/" + strconv.Itoa(r.Target)
		case r.Measured.IsZero():
			c.State, c.Words = LadderUnmeasured, "not measured yet"
			c.Figure = ladder.Short(r.Requirement) + " ?/" + strconv.Itoa(r.Target)
		case r.Incomplete:
			c.State, c.Words = LadderIncomplete, "incomplete results: not counted as met"
		case r.Met():
			c.State, c.Words = LadderMet, "met"
		default:
			c.State, c.Words = LadderNotMet, "not met yet"
		}
		if r.Query == "" {
			c.URL = ""
		}
		return c
	}
	return ladderCell{State: LadderUnmeasured, Words: "not measured yet"}
}

func lastAnswer(rows []ladder.Row) (last time.Time) {
	for _, r := range rows {
		if r.Measured.After(last) {
			last = r.Measured
		}
	}
	return last
}

// rosterMentees are the handles of the roster's mentees, in roster order.
func rosterMentees(rs []rosterRow) []string {
	var out []string
	for _, r := range rs {
		if r.Role == store.RoleMentee {
			out = append(out, r.Handle)
		}
	}
	return out
}

// loadLadder reads the cohort's measurements into its page's section.
func (h *Handler) loadLadder(ctx context.Context, p *cohortPage) error {
	ms, err := h.opts.Store.Measurements(ctx, p.c.ID)
	if err != nil {
		return err
	}
	p.Ladder = h.buildLadder(p.Roster, ms)
	return nil
}

// annotateReady sets each overview row's "ready to nominate N/M".
func (h *Handler) annotateReady(ctx context.Context, groups []repoGroup) error {
	ready, err := h.readyCounts(ctx)
	if err != nil || len(ready) == 0 {
		return err
	}
	for i := range groups {
		for _, rows := range [][]overviewRow{groups[i].Active, groups[i].Completed} {
			for j := range rows {
				if n, ok := ready[rows[j].id]; ok {
					rows[j].Ready = strconv.Itoa(n) + "/" + strconv.Itoa(rows[j].Mentees)
				}
			}
		}
	}
	return nil
}

// readyCache keeps the program's ready counts for FiguresTTL, like the
// figures: the overview reads every measurement of the program.
type readyCache struct {
	mu   sync.Mutex
	at   time.Time
	last map[int64]int
}

// readyCounts is, per cohort with any measured mentee, how many of its
// roster's mentees have every requirement met (one query per TTL).
func (h *Handler) readyCounts(ctx context.Context) (map[int64]int, error) {
	c := &h.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != nil && time.Since(c.at) < h.opts.FiguresTTL {
		return c.last, nil
	}
	out, err := h.opts.Store.ProgramReady(ctx)
	if err != nil {
		return nil, err
	}
	c.at, c.last = time.Now(), out
	return out, nil
}

// pageBudget is the most a page may weigh (SPEC §14: under 200 KB).
const pageBudget = 200_000

// renderCohort renders the cohort page; when every search linked would
// push it past pageBudget (30 mentees, long scopes), the searches are left
// to the mentees' issues, where the "Ladder progress" region links them.
func (h *Handler) renderCohort(w http.ResponseWriter, d cohortData) {
	b, err := h.execute("cohort", d)
	if err == nil && len(b) > pageBudget && !d.Page.Ladder.Compact {
		d.Page.Ladder.compact()
		b, err = h.execute("cohort", d)
	}
	h.write(w, http.StatusOK, "cohort", b, err)
}

// compact drops the search links from the section.
func (l *ladderSection) compact() {
	l.Compact = true
	for i := range l.Rows {
		for j := range l.Rows[i].Cells {
			l.Rows[i].Cells[j].URL = ""
		}
	}
}
