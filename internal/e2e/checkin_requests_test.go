package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/harness"
)

// TestCheckinBurstRequests: ten check-ins in one cohort, made where mentees
// make them (on their own tracking issues). Each costs the 👍, a read of
// the mentee issue just before its body is written, that write, and one
// add-labels request for checkin/week-1 per mentee (never a whole label
// set: SPEC §3 "Never overwrite people"), plus a share of the hub's
// coalesced re-render and the week label's creation: about five requests
// each at most, fifty for the ten (41 when measured).
// What a mentee wrote in their issue before checking in is kept.
func TestCheckinBurstRequests(t *testing.T) {
	// The repository config cached as in production (a minute), so the
	// count is the one an installation pays.
	startTuned(t, nil, func(o *harness.Options) { o.ConfigTTL = 0 }, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		mia := f.mentees["mia"]
		goals := "## My goals\n\nBecome a reviewer for kubectl by spring."
		e.Sim.EditIssueBody("mia", repo, mia, goals+"\n\n"+e.Sim.Issue(repo, mia).Body)
		e.idle()
		var issues []int
		for _, n := range f.mentees {
			issues = append(issues, n)
		}
		defer e.holdPatches(f.hub, func() bool { return thumbsUp(e.Sim, issues...) == 10 })()
		e.Sim.ResetRequests()
		var wg sync.WaitGroup
		checkin := func(actor string, n int, body string) {
			wg.Add(1)
			go func() { defer wg.Done(); e.Sim.CommentAt(actor, repo, n, body, week1) }()
		}
		for m, n := range f.mentees {
			checkin(m, n, complete)
		}
		// Mentors give two more updates, on the mentees' issues: ten in all.
		checkin("mentor-ann", f.mentees["noah"], strings.Replace(complete, "/checkin", "/checkin @noah", 1))
		checkin("mentor-ben", f.mentees["olga"], strings.Replace(complete, "/checkin", "/checkin @olga", 1))
		wg.Wait()
		e.idle()

		perRoute := map[string]int{}
		total := 0
		for _, r := range e.Sim.Requests() {
			if strings.HasPrefix(r.Path, "/app/") {
				continue // App authentication, not the installation's API budget
			}
			perRoute[r.Method+" "+route(r.Path)]++
			total++
		}
		var lines []string
		for k, v := range perRoute {
			lines = append(lines, fmt.Sprintf("%3d %s", v, k))
		}
		sort.Strings(lines)
		t.Logf("%d requests for ten check-ins:\n%s", total, strings.Join(lines, "\n"))
		if total > 50 {
			t.Errorf("%d GitHub requests for ten check-ins, want at most 50", total)
		}
		// Per check-in: a 👍, a read and a write of the mentee issue. Per
		// mentee: checkin/week-1 added once (a second check-in that week
		// finds it there). The rest is the hub's re-render.
		for route, want := range map[string]int{
			"POST /repos/kubernetes/community/issues/comments/{n}/reactions": 10,
			"GET /repos/kubernetes/community/issues/{n}":                     10,
			"PATCH /repos/kubernetes/community/issues/{n}":                   10,
			"POST /repos/kubernetes/community/issues/{n}/labels":             8,
		} {
			if n := perRoute[route]; n < want {
				t.Errorf("%d × %s, want at least %d", n, route, want)
			}
		}
		if n := perRoute["POST /repos/kubernetes/community/issues/{n}/labels"]; n != 8 {
			t.Errorf("checkin/week-1 added %d times, want once per mentee (8)", n)
		}
		for m, n := range f.mentees {
			is := e.Sim.Issue(repo, n)
			if !has(is.Labels, "checkin/week-1") || has(is.Labels, "checkin/missed") {
				t.Errorf("@%s's issue labels %v", m, is.Labels)
			}
			if !strings.Contains(is.Body, "reviewed two PRs in kubectl") {
				t.Errorf("@%s's log lacks the check-in:\n%s", m, is.Body)
			}
			if row := e.boardRow(f.hub, m); !strings.HasPrefix(row, "| @"+m+" | ✅ |") {
				t.Errorf("board row %q", row)
			}
		}
		if body := e.Sim.Issue(repo, mia).Body; !strings.Contains(body, goals) {
			t.Errorf("mia's own text was lost:\n%s", body)
		}
	})
}

// TestReplayedCheckinSendsNothing: GitHub sends a week-1 check-in again (a
// new delivery id, the old payload) after week 2's was recorded. The
// check-in is recorded already and its issue written: the replay sends
// nothing to GitHub, and week 2's label and log stay.
func TestReplayedCheckinSendsNothing(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		mia := f.mentees["mia"]
		e.clock.Set(week1)
		c1 := e.Sim.CommentAt("mia", repo, mia, complete, week1)
		e.idle()
		week2 := week1.Add(7 * 24 * time.Hour)
		e.clock.Set(week2)
		e.Sim.CommentAt("mia", repo, mia, strings.Replace(complete, "reviewed two PRs", "reviewed three PRs", 1), week2)
		e.idle()
		e.clock.Set(week2.Add(time.Hour))
		e.Sim.ResetRequests()
		if e.Sim.Resend(e.deliveryOf(c1.ID, "created")) == "" {
			t.Fatal("no delivery to resend")
		}
		e.idle()
		is := e.Sim.Issue(repo, mia)
		if !has(is.Labels, "checkin/week-1") || !has(is.Labels, "checkin/week-2") {
			t.Errorf("labels after the replay: %v", is.Labels)
		}
		if !strings.Contains(is.Body, "reviewed three PRs") || !strings.Contains(is.Body, "reviewed two PRs") {
			t.Errorf("log after the replay:\n%s", is.Body)
		}
		for _, r := range e.Sim.Requests() {
			// These tests read the repository config on every event.
			if !strings.Contains(r.Path, "/.github") {
				t.Errorf("the replay sent %s %s; want nothing but the config read", r.Method, r.Path)
			}
		}
	})
}

// TestLateCheckinKeepsLabelsWrittenSince: mia's week-1 check-in reaches the
// bot only in week 3 (its delivery failed; an operator redelivers it). Its
// payload's copy of her issue predates the bot's own writes since — the
// missed weeks, mentee/at-risk — which the check-in's single-label writes
// leave alone: the check-in is recorded for week 1 and at-risk stays.
func TestLateCheckinKeepsLabelsWrittenSince(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		mia := f.mentees["mia"]
		e.clock.Set(week1)
		e.Sim.SetWebhook("", "") // deliveries are recorded, not sent
		c := e.Sim.CommentAt("mia", repo, mia, complete, week1)
		e.Sim.SetWebhook(e.URL+"/api/github/hook", "")
		e.tickDone(time.Date(2027, 1, 25, 1, 0, 0, 0, time.UTC))
		e.idle()
		if l := e.Sim.Issue(repo, mia).Labels; !has(l, "mentee/at-risk") || !has(l, "checkin/missed") {
			t.Fatalf("before the late check-in, labels %v; want mentee/at-risk and checkin/missed", l)
		}
		e.Sim.ResetRequests()
		e.Sim.Redeliver(e.deliveryOf(c.ID, "created"))
		e.idle()
		l := e.Sim.Issue(repo, mia).Labels
		if !has(l, "mentee/at-risk") || !has(l, "checkin/week-1") || has(l, "checkin/missed") {
			t.Errorf("after the late check-in, labels %v; want mentee/at-risk and checkin/week-1, not checkin/missed", l)
		}
		if n := e.countExact("GET", fmt.Sprintf("/repos/%s/issues/%d", repo, mia)); n != 1 {
			t.Errorf("mia's issue read %d times, want 1 (just before its body is written)", n)
		}
	})
}

// countExact counts recorded requests with exactly this method and path.
func (e *env) countExact(method, path string) int {
	n := 0
	for _, r := range e.Sim.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// route replaces the numbers in a path with {n}, to group requests.
func route(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = "{n}"
		}
	}
	return strings.Join(segs, "/")
}

// TestReplacingCheckinRetriedAfterFailure: mia's second check-in of a week
// is recorded, then GitHub fails the 👍 with a 502; the retry finds the
// check-in recorded already, and must still write her log with the new
// text (the week's earlier write was for the first check-in).
func TestReplacingCheckinRetriedAfterFailure(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		mia := f.mentees["mia"]
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, mia, complete, week1)
		e.idle()
		var once sync.Once
		e.Sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
			failed := false
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/reactions") {
				once.Do(func() {
					w.WriteHeader(http.StatusBadGateway)
					failed = true
				})
			}
			return failed
		})
		e.Sim.CommentAt("mia", repo, mia, strings.Replace(complete, "reviewed two PRs", "reviewed five PRs", 1), week1.Add(time.Hour))
		e.idle()
		e.Sim.SetIntercept(nil)
		if body := e.Sim.Issue(repo, mia).Body; !strings.Contains(body, "reviewed five PRs") || strings.Contains(body, "reviewed two PRs") {
			t.Errorf("mia's log after the retried check-in:\n%s", body)
		}
	})
}

// TestHumanEditOfHubCostsNothing: an organizer ticks a topic on the hub.
// No write of cohortbot's computes a body from an old copy, so there is
// nothing to check or put back: the edit costs no GitHub request and stays.
func TestHumanEditOfHubCostsNothing(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1) // the hub's board is rendered
		e.idle()
		e.Sim.ResetRequests()
		body := e.Sim.Issue(repo, f.hub).Body
		ticked := strings.Replace(body, "- [ ] ", "- [x] ", 1)
		if ticked == body {
			t.Fatal("the hub has no topic to tick")
		}
		e.Sim.EditIssueBody(organizer, repo, f.hub, ticked)
		e.idle()
		if rs := e.Sim.Requests(); len(rs) != 0 {
			t.Errorf("%d GitHub requests for a human edit of the hub, want none; first: %s %s", len(rs), rs[0].Method, rs[0].Path)
		}
		if e.Sim.Issue(repo, f.hub).Body != ticked {
			t.Error("the ticked topic was changed")
		}
	})
}
