package e2e

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testlog"
)

// fakeSearch stands in for §10's search (built elsewhere) behind the
// kernel.Measurer seam: fixed counts per mentee, every call recorded, and a
// budget of calls after which it fails as a paced-out search would.
type fakeSearch struct {
	mu     sync.Mutex
	counts map[string]int
	calls  []string // logins measured successfully
	since  []time.Time
	scope  [][]string
	budget int // calls left before failing; <0: unlimited
}

func (f *fakeSearch) ActiveSince(_ context.Context, _ int64, login string, scope []string, since time.Time) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.budget == 0 {
		return 0, errors.New("search rate limit: try later")
	}
	f.budget--
	f.calls = append(f.calls, login)
	f.since = append(f.since, since)
	f.scope = append(f.scope, scope)
	return f.counts[login], nil
}

func (f *fakeSearch) measured() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeSearch) setBudget(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.budget = n
}

// closedCohort creates the cohort, graduates mia and noah, plugs search in
// and closes the cohort at dayAfterEnd.
func (e *env) closedCohort(search *fakeSearch) cohortFixture {
	e.t.Helper()
	f := e.createCohort()
	e.Server.Deps.Env.Measurer = search
	e.clock.Set(week1)
	e.Sim.CommentAt("mentor-ann", repo, f.hub, "/graduate @mia\n/graduate @noah", week1)
	e.idle()
	e.tick(dayAfterEnd)
	if e.Sim.Issue(repo, f.hub).State != "closed" {
		e.t.Fatal("the cohort did not close")
	}
	return f
}

// followUps returns the bot's retention follow-ups on the hub.
func (e *env) followUps(hub int) []string {
	var out []string
	for _, c := range e.botComments(hub) {
		if strings.Contains(c.Body, "cohortbot:retention") {
			out = append(out, c.Body)
		}
	}
	return out
}

func TestRetentionFollowUpsOnceEach(t *testing.T) {
	start(t, func(e *env) {
		search := &fakeSearch{counts: map[string]int{"mia": 3, "olga": 1, "sam": 7}, budget: -1}
		f := e.closedCohort(search)
		day := func(n int) time.Time { return dayAfterEnd.AddDate(0, 0, n) }
		e.tick(day(89))
		if got := e.followUps(f.hub); len(got) != 0 || len(search.measured()) != 0 {
			t.Fatalf("follow-up before 90 days: %q, measured %v", got, search.measured())
		}
		// The search gives out after three mentees: the tick fails, the
		// next one measures only the five left.
		search.setBudget(3)
		e.tickFails(day(90))
		if got := e.followUps(f.hub); len(got) != 0 {
			t.Fatalf("posted with three mentees measured: %q", got)
		}
		search.setBudget(-1)
		e.concurrentTicks(day(90).Add(time.Hour))
		e.tick(day(91))
		got := e.followUps(f.hub)
		if len(got) != 1 {
			t.Fatalf("%d follow-ups at 90 days, want 1", len(got))
		}
		for _, want := range []string{"### Retention follow-up: 90 days after the close", "since the close",
			"| @\u2060mia | graduated | 3 | ✅ yes |", "| @\u2060noah | graduated | 0 | — no |", "| @\u2060sam | not graduated | 7 | ✅ yes |",
			"**Still active 3/8** · **graduated and still active 1/2**", "`org:kubernetes`"} {
			if !strings.Contains(got[0], want) {
				t.Errorf("follow-up lacks %q:\n%s", want, got[0])
			}
		}
		if d := cmp.Diff(allMentees, sorted(search.measured())); d != "" {
			t.Errorf("each mentee measured once (-want +got):\n%s", d)
		}
		// The tick closed the cohort 9 hours after its end date ended: the
		// follow-up counts from the end date's end, when it really ended.
		ended := time.Date(2027, 3, 22, 0, 0, 0, 0, time.UTC)
		if !search.since[0].Equal(ended) || !cmp.Equal(search.scope[0], []string{"kubernetes"}) {
			t.Errorf("measured since %v in %v, want the end of the end date (%v) in the org", search.since[0], search.scope[0], ended)
		}
		latest, err := e.Server.Deps.Env.Store.LatestFollowUps(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var fu store.FollowUp
		for _, x := range latest {
			fu = x
		}
		if fu.Day != 90 || fu.Mentees != 8 || fu.Active != 3 || fu.Graduated != 2 || fu.GraduatedActive != 1 || fu.State != store.FollowUpPosted {
			t.Errorf("stored follow-up %+v", fu)
		}

		search.counts["noah"] = 2
		e.tick(day(365))
		e.tick(day(366))
		got = e.followUps(f.hub)
		if len(got) != 2 || !strings.Contains(got[1], "365 days after the close") || !strings.Contains(got[1], "graduated and still active 2/2") {
			t.Fatalf("follow-ups after a year: %q", got)
		}
		before := e.writes()
		e.tick(day(800))
		if n := e.writes() - before; n != 0 || len(search.measured()) != 16 {
			t.Errorf("after the last follow-up: %d writes, %d measurements (want 0, 16)", n, len(search.measured()))
		}
	})
}

// tickLogged is tick with the scheduler's log written to logs (as the
// server's tick job logs).
func (e *env) tickLogged(at time.Time, logs io.Writer) {
	e.t.Helper()
	e.clock.Set(at)
	ctx := zerolog.New(logs).WithContext(context.Background())
	if _, err := e.Server.Deps.Tick(ctx, at); err != nil {
		e.t.Fatal(err)
	}
	e.idle()
}

func TestRetentionSkipsALockedOrDeletedHub(t *testing.T) {
	start(t, func(e *env) {
		logs := &testlog.Buffer{}
		search := &fakeSearch{counts: map[string]int{"mia": 1}, budget: -1}
		f := e.closedCohort(search)
		e.Sim.LockIssue(organizer, repo, f.hub)
		e.tickLogged(dayAfterEnd.AddDate(0, 0, 90), logs)
		if got := e.followUps(f.hub); len(got) != 0 || len(search.measured()) != 0 {
			t.Errorf("a locked hub got %q after %v were measured", got, search.measured())
		}
		if !strings.Contains(logs.String(), "retention follow-up skipped: the hub is locked") {
			t.Error("no log line for the locked hub")
		}
		e.Sim.DeleteIssue(organizer, repo, f.hub)
		e.tickLogged(dayAfterEnd.AddDate(0, 0, 365), logs)
		e.tickLogged(dayAfterEnd.AddDate(0, 0, 366), logs)
		if len(search.measured()) != 0 || strings.Count(logs.String(), "retention follow-up skipped: the hub was deleted") != 1 {
			t.Errorf("deleted hub: measured %v; logged deleted: %v", search.measured(), strings.Contains(logs.String(), "the hub was deleted"))
		}
	})
}
