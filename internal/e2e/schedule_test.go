package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tick runs the scheduler as of at and waits for its follow-up jobs.
func (e *env) tick(at time.Time) {
	e.t.Helper()
	e.clock.Set(at)
	if _, err := e.Server.Deps.Tick(context.Background(), at); err != nil {
		e.t.Fatal(err)
	}
	e.idle()
}

// writes counts the bot's writes to the simulated GitHub so far.
func (e *env) writes() int {
	n := 0
	for _, r := range e.Sim.Requests() {
		if r.Method != "GET" && !strings.Contains(r.Path, "/access_tokens") {
			n++
		}
	}
	return n
}

func (e *env) labelled(label string) []string {
	var out []string
	for _, i := range e.issuesWithLabel(label) {
		if len(i.Assignees) > 0 {
			out = append(out, i.Assignees[0])
		}
	}
	return out
}

var allMentees = []string{"mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}

func TestWeekBoundaryMarksMissedOnce(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		for _, m := range []string{"mia", "noah", "olga"} {
			e.Sim.CommentAt(m, repo, f.mentees[m], complete, week1)
		}
		e.idle()
		// Start + 8 days: week 1 (2027-01-11 … 01-17) has ended.
		e.tick(time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC))
		if d := cmp.Diff([]string{"pete", "quinn", "rosa", "sam", "tess"}, e.labelled("checkin/missed")); d != "" {
			t.Errorf("checkin/missed (-want +got):\n%s", d)
		}
		hub := e.botComments(f.hub)
		if len(hub) != 1 || !strings.Contains(hub[0].Body, "Week 1 ended: 3/8 checked in") ||
			!strings.Contains(hub[0].Body, "Facilitator this week: @mentor-ben") || !strings.Contains(hub[0].Body, "@pete") {
			t.Fatalf("want one hub comment with the count, the missing and the facilitator, got %+v", hub)
		}
		if row := e.boardRow(f.hub, "pete"); !strings.HasPrefix(row, "| @pete | ❌ | ➖ |") {
			t.Errorf("board row %q", row)
		}
		before := e.writes()
		e.tick(time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC))
		if n := e.writes() - before; n != 0 {
			t.Errorf("a second tick at the same instant made %d writes", n)
		}
		// Checking in clears checkin/missed.
		e.Sim.CommentAt("pete", repo, f.mentees["pete"], complete, time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC))
		e.idle()
		if has(e.Sim.Issue(repo, f.mentees["pete"]).Labels, "checkin/missed") {
			t.Error("checkin/missed not removed by the next check-in")
		}
	})
}

func TestRemindersOncePerMentee(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		e.idle()
		at := time.Date(2027, 1, 17, 6, 0, 0, 0, time.UTC) // 18 h before week 1 ends
		e.tick(at)
		e.tick(at.Add(time.Hour))
		for _, m := range allMentees {
			n := 0
			for _, c := range e.botComments(f.mentees[m]) {
				if strings.Contains(c.Body, "friendly reminder") {
					n++
				}
			}
			want := 1
			if m == "mia" {
				want = 0
			}
			if n != want {
				t.Errorf("@%s got %d reminders, want %d", m, n, want)
			}
		}
	})
}

func TestCatchUpAfterDowntime(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.hub, "/away", week1)
		e.Sim.CommentAt(organizer, repo, f.hub, "/skip-week 2", week1)
		e.idle()
		// Down for weeks: the next tick is in week 7 (weeks 1–6 ended).
		e.tick(time.Date(2027, 2, 24, 12, 0, 0, 0, time.UTC))
		var boundary, midpoint int
		for _, c := range e.botComments(f.hub) {
			if strings.Contains(c.Body, "### Weeks 1–6 ended") {
				boundary++
				for w := 3; w <= 6; w++ {
					if !strings.Contains(c.Body, fmt.Sprintf("| %d | 0/8 |", w)) {
						t.Errorf("summary lacks week %d:\n%s", w, c.Body)
					}
				}
				if !strings.Contains(c.Body, "| 2 | skipped |") || !strings.Contains(c.Body, "| 1 | 0/7 |") {
					t.Errorf("skip or away not honoured:\n%s", c.Body)
				}
				if strings.Count(c.Body, "@tess") != 1 {
					t.Errorf("a catch-up summary must name each missing mentee once:\n%s", c.Body)
				}
				if !strings.Contains(c.Body, "Facilitator this week: @mentor-ann") {
					t.Errorf("week 7's facilitator (the first mentor again) not named:\n%s", c.Body)
				}
			}
			if strings.Contains(c.Body, "Halfway there") {
				midpoint++
			}
		}
		if boundary != 1 || midpoint != 1 {
			t.Errorf("%d summaries and %d midpoint comments, want one each", boundary, midpoint)
		}
		if got := e.labelled("mentee/at-risk"); len(got) != 8 {
			t.Errorf("at-risk: %v", got)
		}
		e.tick(time.Date(2027, 2, 24, 13, 0, 0, 0, time.UTC))
		if n := len(e.botComments(f.hub)); n != 2 {
			t.Errorf("%d hub comments after a second tick, want 2", n)
		}
	})
}

func TestCloseAtEndDate(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		e.Sim.CommentAt("noah", repo, f.mentees["noah"], complete, week1)
		e.idle()
		e.tick(time.Date(2027, 3, 22, 0, 5, 0, 0, time.UTC)) // just after the end date
		hub := e.Sim.Issue(repo, f.hub)
		if hub.State != "closed" || !has(hub.Labels, "cohort/completed") || has(hub.Labels, "cohort/active") {
			t.Errorf("hub %s %v", hub.State, hub.Labels)
		}
		var reports []string
		for _, c := range e.botComments(f.hub) {
			if strings.Contains(c.Body, "Final report") {
				reports = append(reports, c.Body)
			}
		}
		if len(reports) != 1 {
			t.Fatalf("%d final reports", len(reports))
		}
		for _, want := range []string{"0/8 graduated", "check-in rate 3% (2/80)", "0/5 topics ticked", "| @mia | 1/10 |"} {
			if !strings.Contains(reports[0], want) {
				t.Errorf("report lacks %q:\n%s", want, reports[0])
			}
		}
		for m, n := range f.mentees {
			is := e.Sim.Issue(repo, n)
			if is.State != "closed" || !has(is.Labels, "outcome/not-graduated") || !has(is.Labels, "cohort/completed") {
				t.Errorf("@%s's issue %s %v", m, is.State, is.Labels)
			}
		}
		before := e.writes()
		e.tick(time.Date(2027, 3, 23, 0, 0, 0, 0, time.UTC))
		if n := e.writes() - before; n != 0 {
			t.Errorf("a second close made %d writes", n)
		}
		// Commands on a closed cohort get a reply saying so.
		c := e.Sim.CommentAt("mia", repo, f.hub, complete, time.Date(2027, 3, 23, 1, 0, 0, 0, time.UTC))
		e.idle()
		found := false
		for _, bc := range e.botComments(f.hub) {
			if strings.Contains(bc.Body, fmt.Sprintf("comment=%d ", c.ID)) && strings.Contains(bc.Body, "this cohort has ended") {
				found = true
			}
		}
		if !found {
			t.Error("no 'cohort has ended' reply")
		}
	})
}

func TestCloseCohortCommand(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mentor-ann", repo, f.hub, "/close-cohort", week1)
		e.idle()
		if e.Sim.Issue(repo, f.hub).State != "open" {
			t.Fatal("a mentor closed the cohort")
		}
		e.Sim.CommentAt(organizer, repo, f.hub, "/close-cohort", week1)
		e.idle()
		if e.Sim.Issue(repo, f.hub).State != "closed" {
			t.Fatal("the organizer's /close-cohort did not close the hub")
		}
	})
}
