package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// failWhere makes the simulated GitHub answer 502 to the requests match
// accepts (the body is readable and left for the simulator).
func (e *env) failWhere(match func(r *http.Request, body string) bool) {
	e.Sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		if !match(r, string(b)) {
			return false
		}
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, `{"message":"Server Error"}`)
		return true
	})
}

// tickFails runs the scheduler as of at and expects it to report an error.
func (e *env) tickFails(at time.Time) {
	e.t.Helper()
	e.clock.Set(at)
	if _, err := e.Server.Deps.Tick(context.Background(), at); err == nil {
		e.t.Fatal("the broken tick reported no error")
	}
	e.idle()
}

// TestCloseAfterAGapResumesWithoutDuplicates breaks the settling close twice
// — GitHub refusing the final report after the labels went on, then
// refusing to close issues after the report went up — and checks the next
// ticks finish it with one report, each label added once, and the final
// board (SPEC §6: closing is resumable).
func TestCloseAfterAGapResumesWithoutDuplicates(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		e.idle()
		e.tick(weekOf(2).Add(-6 * time.Hour))
		hubComments := len(e.botComments(f.hub))
		e.Sim.ResetRequests()

		hubComment := fmt.Sprintf("/repos/%s/issues/%d/comments", repo, f.hub)
		e.failWhere(func(r *http.Request, _ string) bool { return r.Method == "POST" && r.URL.Path == hubComment })
		e.tickFails(dayAfterEnd)
		if got := e.labelled("mentee/at-risk"); len(got) != 8 {
			t.Fatalf("the labels were not applied before the report: at-risk %v", got)
		}
		e.failWhere(func(r *http.Request, body string) bool {
			return r.Method == "PATCH" && strings.Contains(body, `"state":"closed"`)
		})
		e.tickFails(dayAfterEnd.Add(10 * time.Minute))
		if n := len(e.finalReports(f.hub)); n != 1 {
			t.Fatalf("%d final reports after the second attempt, want 1", n)
		}
		e.Sim.SetIntercept(nil)
		e.tick(dayAfterEnd.Add(20 * time.Minute))

		if n := len(e.botComments(f.hub)) - hubComments; n != 1 {
			t.Errorf("the resumed close added %d hub comments, want 1", n)
		}
		adds := labelAdds(e.Sim.Requests())
		for m, n := range f.mentees {
			got := map[string]int{"checkin/missed": adds[n]["checkin/missed"], "mentee/at-risk": adds[n]["mentee/at-risk"]}
			// Everyone but Mia has had checkin/missed since week 1.
			want := map[string]int{"checkin/missed": 0, "mentee/at-risk": 1}
			if m == "mia" {
				want["checkin/missed"] = 1
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("@%s: label adds over the three attempts (-want +got):\n%s", m, d)
			}
			if is := e.Sim.Issue(repo, n); is.State != "closed" || !has(is.Labels, "checkin/missed") {
				t.Errorf("@%s's issue after the resumed close: %s %v", m, is.State, is.Labels)
			}
		}
		e.wantFinalBoard(t, f.hub, map[string]string{
			"mia":  "| @mia | ✅ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ |",
			"tess": "| @tess | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ | ❌ |",
		})
	})
}

// TestCloseCohortCommandSettlesTheEndedWeeks closes a cohort by command in
// week 3 after a tick in week 1: week 2's boundary, due but never run, is
// settled by the close (one row in the report, labels), and the weeks the
// cohort never reached show as not counted, not "not yet".
func TestCloseCohortCommandSettlesTheEndedWeeks(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		for _, m := range []string{"mia", "noah"} {
			e.Sim.CommentAt(m, repo, f.mentees[m], complete, week1)
		}
		e.idle()
		e.tick(weekOf(2).Add(-6 * time.Hour))
		e.clock.Set(weekOf(2))
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, weekOf(2))
		e.idle()
		e.clock.Set(weekOf(3))
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, weekOf(3))
		e.idle()
		e.Sim.CommentAt(organizer, repo, f.hub, "/close-cohort", weekOf(3))
		e.idle()

		reports := e.finalReports(f.hub)
		if len(reports) != 1 {
			t.Fatalf("%d final reports, want 1", len(reports))
		}
		tables := mdTables(reports[0])
		want := []string{
			"| Week | Checked in | Missing |",
			"|---|---|---|",
			"| 2 | 1/8 | noah, olga, pete, quinn, rosa, sam, tess |",
		}
		if len(tables) != 2 || !strings.Contains(reports[0], "\n\n### Week 2 ended\n\n") {
			t.Fatalf("want the week table and the mentee table, apart, got:\n%s", reports[0])
		}
		if d := cmp.Diff(want, tables[0]); d != "" {
			t.Errorf("week table (-want +got):\n%s", d)
		}
		missed := e.labelled("checkin/missed")
		slices.Sort(missed)
		if d := cmp.Diff([]string{"noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}, missed); d != "" {
			t.Errorf("checkin/missed (-want +got):\n%s", d)
		}
		e.wantFinalBoard(t, f.hub, map[string]string{
			"mia":  "| @mia | ✅ | ✅ | ✅ | · | · | · | · | · | · | · |",
			"noah": "| @noah | ✅ | ❌ | · | · | · | · | · | · | · | · |",
			"tess": "| @tess | ❌ | ❌ | · | · | · | · | · | · | · | · |",
		})
		before := e.writes()
		e.tick(weekOf(4))
		if n := e.writes() - before; n != 0 {
			t.Errorf("a tick after the close made %d writes", n)
		}
	})
}

// TestInterruptedCloseCohortIsFinishedAsOfItsOwnInstant breaks a
// /close-cohort in week 3 after its report, then ticks in week 4: the close
// is finished (by the tick or by the command's retry, whichever comes
// first) as of the command's instant — week 3, never ended, is not settled
// and gets no boundary comment — with one report and the hub closed.
func TestInterruptedCloseCohortIsFinishedAsOfItsOwnInstant(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		e.idle()
		e.tick(weekOf(2).Add(-6 * time.Hour))
		hubComments := len(e.botComments(f.hub))
		var refused atomic.Int32
		e.failWhere(func(r *http.Request, body string) bool {
			if r.Method == "PATCH" && strings.Contains(body, `"state":"closed"`) {
				refused.Add(1)
				return true
			}
			return false
		})
		e.clock.Set(weekOf(3))
		e.Sim.CommentAt(organizer, repo, f.hub, "/close-cohort", weekOf(3))
		for deadline := time.Now().Add(20 * time.Second); refused.Load() == 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the close never tried to close an issue")
			}
		}
		e.Sim.SetIntercept(nil)
		e.tick(weekOf(4))

		if n := len(e.botComments(f.hub)) - hubComments; n != 1 {
			t.Errorf("%d new hub comments, want 1 (the report)", n)
		}
		reports := e.finalReports(f.hub)
		if len(reports) != 1 {
			t.Fatalf("%d final reports, want 1", len(reports))
		}
		if tables := mdTables(reports[0]); len(tables) != 2 || len(tables[0]) != 3 || !strings.HasPrefix(tables[0][2], "| 2 |") {
			t.Errorf("the report settles week 2 only:\n%s", reports[0])
		}
		boundaries := 0
		for _, c := range e.botComments(f.hub) {
			if strings.Contains(c.Body, "cohortbot:boundary") {
				boundaries++
			}
		}
		if boundaries != 1 {
			t.Errorf("%d boundary comments, want 1 (week 1's, before the close)", boundaries)
		}
		if hub := e.Sim.Issue(repo, f.hub); hub.State != "closed" {
			t.Errorf("hub %s after the interrupted close", hub.State)
		}
		e.wantFinalBoard(t, f.hub, map[string]string{
			"mia":  "| @mia | ✅ | ❌ | · | · | · | · | · | · | · | · |",
			"tess": "| @tess | ❌ | ❌ | · | · | · | · | · | · | · | · |",
		})
	})
}
