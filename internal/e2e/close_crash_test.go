package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestCloseResumesAfterAFailureBetweenSteps breaks the close half-way — the
// final report posted, then GitHub failing while the mentee issues are being
// closed — and checks that the next tick finishes it: one report, every issue
// closed, nothing doubled.
func TestCloseResumesAfterAFailureBetweenSteps(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		e.idle()
		// Fail every issue close after the third one (body edits, such as
		// the board's final render, go through).
		var closes atomic.Int32
		e.Sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodPatch || !strings.Contains(r.URL.Path, "/issues/") {
				return false
			}
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			if !strings.Contains(string(b), `"state":"closed"`) {
				return false
			}
			if closes.Add(1) <= 3 {
				return false
			}
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, `{"message":"Server Error"}`)
			return true
		})
		end := time.Date(2027, 3, 22, 1, 0, 0, 0, time.UTC)
		e.clock.Set(end)
		if _, err := e.Server.Deps.Tick(context.Background(), end); err == nil {
			t.Fatal("the broken close reported no error")
		}
		e.idle()
		open := 0
		for _, n := range f.mentees {
			if e.Sim.Issue(repo, n).State == "open" {
				open++
			}
		}
		if open == 0 || e.Sim.Issue(repo, f.hub).State != "open" {
			t.Fatalf("the failure did not interrupt the close (%d mentee issues open)", open)
		}
		e.Sim.SetIntercept(nil)
		e.tick(end.Add(10 * time.Minute))
		reports := 0
		for _, c := range e.botComments(f.hub) {
			if strings.Contains(c.Body, "Final report") {
				reports++
			}
		}
		if reports != 1 {
			t.Errorf("%d final reports, want 1", reports)
		}
		for m, n := range f.mentees {
			is := e.Sim.Issue(repo, n)
			if is.State != "closed" || !has(is.Labels, "cohort/completed") || has(is.Labels, "cohort/active") {
				t.Errorf("@%s's issue after the resumed close: %s %v", m, is.State, is.Labels)
			}
		}
		if hub := e.Sim.Issue(repo, f.hub); hub.State != "closed" {
			t.Errorf("hub %s after the resumed close", hub.State)
		}
	})
}
