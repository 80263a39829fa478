package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// Heatmap geometry (SVG user units).
const (
	cellSize   = 28
	labelWidth = 150
	headHeight = 24
)

// heatCell is one mentee-week of the heatmap.
type heatCell struct {
	State, Letter string
	X             int
}

// heatRow is one mentee's row of the heatmap and of its table. The SVG row
// is compact, because a cohort may have 30 mentees over 52 weeks and the
// page must stay under 200 KB: one rect per cell whose class is its state,
// and the row's letters in a single text element placed glyph by glyph
// (LetterX). The per-cell details are in the table below the map.
type heatRow struct {
	Handle  string
	Y       int
	Cells   []heatCell
	Letters string
	LetterX string
}

// heatmap is the attendance heatmap of a cohort.
type heatmap struct {
	Weeks         []int
	WeekX         []int
	Rows          []heatRow
	Width, Height int
	Summary       string
}

func buildHeatmap(at *cohort.Attendance) heatmap {
	weeks := at.Weeks
	hm := heatmap{Width: labelWidth + weeks*cellSize + 4, Height: headHeight + 4}
	for w := 1; w <= weeks; w++ {
		hm.Weeks = append(hm.Weeks, w)
		hm.WeekX = append(hm.WeekX, labelWidth+(w-1)*cellSize+cellSize/2)
	}
	count := map[string]int{}
	for i, m := range at.Shown() {
		row := heatRow{Handle: m.Handle, Y: headHeight + i*cellSize + cellSize/2}
		var letters, xs []string
		for w := 1; w <= weeks; w++ {
			st := cellStates[at.Cell(m, w)]
			count[st]++
			x := labelWidth + (w-1)*cellSize
			row.Cells = append(row.Cells, heatCell{State: st, Letter: stateLetters[st], X: x + 1})
			letters = append(letters, stateLetters[st])
			xs = append(xs, strconv.Itoa(x+cellSize/2))
		}
		row.Letters, row.LetterX = strings.Join(letters, ""), strings.Join(xs, " ")
		hm.Rows = append(hm.Rows, row)
		hm.Height = headHeight + (i+1)*cellSize + 4
	}
	var parts []string
	for _, st := range []string{CheckedIn, Missed, Away, Skipped, NotYet} {
		parts = append(parts, fmt.Sprintf("%d %s", count[st], stateLabels[st]))
	}
	hm.Summary = fmt.Sprintf("%d mentees over %d weeks: %s.", len(hm.Rows), weeks, strings.Join(parts, ", "))
	return hm
}

// rosterRow is one person of the roster table.
type rosterRow struct {
	Handle, Role, Mentor, Status, Outcome, OutcomeLink, IssueURL, UserURL string
}

// taskRow is one task of the task board.
type taskRow struct {
	Ref, Title, URL, Mentee, Mentor, State string
}

// event is one line of the timeline.
type event struct {
	When, What string
}

// checkinText is a mentee's latest check-in, shown only on pages whose
// visitor may see the repository (a private repository's page is shown to
// nobody else at all).
type checkinText struct {
	Handle, URL string
	Week        int
	Sections    []store.Section
	// Cut is true when sections were shortened to keep the page small.
	Cut bool
}

// Limits of a check-in shown on the page: the page stays under 200 KB
// whatever mentees write (a comment may hold 65,536 characters).
const (
	maxSectionRunes = 300
	maxSections     = 4
	maxTitleRunes   = 120
)

// shorten cuts a check-in's sections to the limits above.
func shorten(secs []store.Section) ([]store.Section, bool) {
	cut := len(secs) > maxSections
	if cut {
		secs = secs[:maxSections]
	}
	out := make([]store.Section, len(secs))
	for i, s := range secs {
		s.Name, cut = cutRunes(s.Name, 80, cut)
		s.Text, cut = cutRunes(s.Text, maxSectionRunes, cut)
		out[i] = s
	}
	return out, cut
}

func cutRunes(s string, n int, cut bool) (string, bool) {
	r := []rune(s)
	if len(r) <= n {
		return s, cut
	}
	return string(r[:n]) + "…", true
}

// cohortPage is everything the cohort page shows.
type cohortPage struct {
	c        store.PageCohort
	Name     string
	Repo     string
	RepoURL  string
	HubURL   string
	Step     string
	State    string
	Start    string
	End      string
	Areas    string
	Weeks    int
	Fig      figures
	Retained retained
	Heat     heatmap
	Roster   []rosterRow
	Tasks    []taskRow
	Timeline []event
	Latest   []checkinText
	Ladder   ladderSection
}

func (h *Handler) loadCohortPage(ctx context.Context, c store.PageCohort) (*cohortPage, error) {
	a, err := h.opts.Store.CohortAttendance(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	p := &cohortPage{c: c, Name: c.Spec.Name, Repo: c.Repo, RepoURL: h.opts.WebURL + "/" + c.Repo,
		HubURL: h.issueURL(c.Repo, c.HubNumber), Step: c.Spec.Step, State: c.State, Start: c.Spec.Start.String(),
		End: c.Spec.End.String(), Areas: strings.Join(c.Spec.Areas, ", "), Weeks: c.Spec.Weeks(),
	}
	at := a.Model(p.Weeks, c.BoundaryDone, c.State == store.StateCompleted)
	p.Fig, p.Heat = figures{at.Figures()}, buildHeatmap(at)
	if p.Retained, err = h.retainedOf(ctx, c.ID); err != nil {
		return nil, err
	}
	for _, m := range a.Members {
		if m.Status == store.StatusRemoved {
			continue
		}
		p.Roster = append(p.Roster, rosterRow{Handle: m.Handle, Role: m.Role, Mentor: m.Mentor, Status: m.Status,
			Outcome: m.Outcome, OutcomeLink: safeLink(m.OutcomeLink), IssueURL: h.issueURL(c.Repo, m.Issue),
			UserURL: h.opts.WebURL + "/" + url.PathEscape(m.Handle)})
	}
	if err := h.loadLadder(ctx, p); err != nil {
		return nil, err
	}
	tasks, err := h.opts.Store.CohortTasks(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		title, _ := cutRunes(t.Title, maxTitleRunes, false)
		p.Tasks = append(p.Tasks, taskRow{Ref: t.Ref(), Title: title, URL: safeLink(t.URL), Mentee: t.Mentee,
			Mentor: t.Mentor, State: t.State})
	}
	p.Timeline = timeline(c, a)
	cis, err := h.opts.Store.Checkins(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	p.Latest = latestCheckins(cis)
	return p, nil
}

// timeline lists what happened: creation, each week that ended, graduations
// and the close.
func timeline(c store.PageCohort, a *store.Attendance) []event {
	out := []event{{When: day(c.CreatedAt), What: "Cohort created"}}
	if cal, err := cohort.NewCalendar(c.Spec); err == nil {
		for w := 1; w <= c.BoundaryDone && w <= cal.Weeks(); w++ {
			out = append(out, event{When: day(cal.WeekEnd(w).Add(-1)), What: fmt.Sprintf("Week %d ended", w)})
		}
	}
	for _, m := range a.Members {
		if m.Role == store.RoleMentee && m.Outcome == store.OutcomeGraduated {
			out = append(out, event{What: "@" + m.Handle + " graduated"})
		}
	}
	if c.State == store.StateCompleted {
		out = append(out, event{When: day(c.UpdatedAt), What: "Cohort closed"})
	}
	return out
}

// latestCheckins keeps each mentee's newest check-in, in mentee order.
func latestCheckins(cis []store.Checkin) []checkinText {
	idx := map[string]int{}
	var out []checkinText
	for _, ci := range cis { // ordered by week
		secs, cut := shorten(ci.Sections)
		t := checkinText{Handle: ci.Author, URL: safeLink(ci.CommentURL), Week: ci.Week, Sections: secs, Cut: cut}
		if t.Handle == "" {
			t.Handle = ci.Mentee
		}
		if i, ok := idx[ci.Mentee]; ok {
			out[i] = t
			continue
		}
		idx[ci.Mentee] = len(out)
		out = append(out, t)
	}
	return out
}

// safeLink keeps only http(s) links (html/template would neutralise others
// anyway; dropping them keeps the page free of "#ZgotmplZ").
func safeLink(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
