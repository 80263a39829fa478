package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/harness"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// jobsFailed counts job attempts that failed (and were retried with
// backoff); waiting out a rate limit is a snooze, not a failure.
func (e *env) jobsFailed() float64 { return e.jobs("", "job_failed") }

// jobs counts finished job attempts of kind ("" for all) with outcome.
func (e *env) jobs(kind, outcome string) float64 {
	mfs, err := e.Server.Metrics.Registry.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "cohortbot_jobs_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["outcome"] == outcome && (kind == "" || labels["kind"] == kind) {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return n
}

// waitFor polls cond until it holds or the timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(25 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
	}
}

func TestLowQuotaDefersNonUrgentWork(t *testing.T) {
	parallel(t)
	testdb.Each(t, func(t *testing.T, url string) {
		e, _ := startWith(t, url, harness.Options{Pacing: fastPacing}, ghsim.Faults{})
		f := e.createCohort()
		e.clock.Set(week1)
		board := e.boardRow(f.hub, "mia")
		// The check-in's first GitHub answer says 40 requests are left
		// until the window's end, below the bot's reserve.
		in := e.Sim.InjectFaults(ghsim.Faults{Mode: ghsim.FaultLowQuota, Rate: 1, Max: 1, Window: 10 * time.Second, LowRemaining: 40})
		renders := e.jobs("render", "job_snoozed") + e.jobs("render", "job_completed")
		c := e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		n := f.mentees["mia"]
		waitFor(t, 4*time.Second, "urgent effects (👍, label) while the quota is low", func() bool {
			return has(reactions(e.comment(n, c.ID)), "+1") && has(e.Sim.Issue(repo, n).Labels, "checkin/week-1")
		})
		remind := time.Date(2027, 1, 17, 6, 0, 0, 0, time.UTC)
		if _, err := e.Server.Deps.Tick(context.Background(), remind); err != nil {
			t.Fatal(err)
		}
		// mia's log went with her week label (one urgent write); the hub's
		// render job first snoozes for the coalescing window, then renders
		// (or, here, yields): wait for both outcomes.
		waitFor(t, 8*time.Second, "the render attempts", func() bool {
			return e.jobs("render", "job_snoozed")+e.jobs("render", "job_completed") >= renders+2
		})
		w := in.Windows()
		if len(w) != 1 || !time.Now().Before(w[0].Until) {
			t.Fatalf("the low-quota window is over too soon (%+v); the test checks nothing", w)
		}
		if got := e.boardRow(f.hub, "mia"); got != board {
			t.Errorf("hub re-rendered while the quota was low: %q", got)
		}
		for _, m := range []string{"noah", "pete"} {
			if cs := e.botComments(f.mentees[m]); len(cs) != 0 {
				t.Errorf("reminder to %s sent while the quota was low: %q", m, cs[0].Body)
			}
		}
		if due, _ := e.Server.Store.DueCohorts(context.Background(), remind); len(due) != 1 {
			t.Errorf("deferred cohort not due any more: %v", due)
		}
		// Once the quota is back the deferred work is done, once.
		e.settle()
		e.tickDone(remind)
		if row := e.boardRow(f.hub, "mia"); !strings.HasPrefix(row, "| @mia | ✅") {
			t.Errorf("board row after the window %q", row)
		}
		for _, m := range []string{"noah", "pete", "tess"} {
			if cs := e.botComments(f.mentees[m]); len(cs) != 1 || !strings.Contains(cs[0].Body, "reminder") {
				t.Errorf("reminders to %s after the window: %d", m, len(cs))
			}
		}
	})
}

func TestWritesArePaced(t *testing.T) {
	parallel(t)
	const writes, per = 8, 1500 * time.Millisecond
	testdb.Each(t, func(t *testing.T, url string) {
		// The per-Per limit under test; the hourly one (scaled to 60×Per)
		// left loose, or creating the cohort would wait for it.
		e, _ := startWith(t, url, harness.Options{Pacing: gh.PacerOptions{Writes: writes, Per: per, HourlyWrites: 1000}}, ghsim.Faults{})
		start := time.Now()
		f := e.createCohort()
		if len(f.mentees) != len(allMentees) {
			t.Fatalf("mentee issues %v", f.mentees)
		}
		var sent []time.Time
		for _, r := range e.Sim.Requests() {
			if r.Method != "GET" && !strings.Contains(r.Path, "/access_tokens") {
				sent = append(sent, r.Time)
			}
		}
		if len(sent) < 2*writes {
			t.Fatalf("only %d writes; too few to show pacing", len(sent))
		}
		for i := range sent {
			n := 0
			for _, s := range sent[i:] {
				if s.Sub(sent[i]) < per {
					n++
				}
			}
			if n > writes {
				t.Fatalf("%d writes within %s from write %d, want ≤ %d", n, per, i, writes)
			}
		}
		t.Logf("%d writes in %s", len(sent), time.Since(start).Round(time.Millisecond))
	})
}

func TestSubIssueFailureIsRetried(t *testing.T) {
	parallel(t)
	testdb.Each(t, func(t *testing.T, url string) {
		subIssues := func(method, path string) bool { return method == "POST" && strings.HasSuffix(path, "/sub_issues") }
		e, in := startWith(t, url, harness.Options{Pacing: fastPacing},
			ghsim.Faults{Mode: ghsim.FaultServerError, Rate: 1, Max: 3, Only: subIssues})
		f := e.createCohort()
		if len(in.Hits()) != 3 {
			t.Fatalf("%d sub-issue calls failed, want 3", len(in.Hits()))
		}
		if got := e.Sim.SubIssues(repo, f.hub); len(got) != len(allMentees) {
			t.Errorf("sub-issues %v, want all %d mentee issues", got, len(allMentees))
		}
	})
}

func TestRateLimitIsWaitedOutByEveryWorker(t *testing.T) {
	parallel(t)
	modes := []ghsim.FaultMode{ghsim.FaultSecondaryLimit, ghsim.FaultTooManyRequests, ghsim.FaultPrimaryLimit}
	testdb.Each(t, func(t *testing.T, url string) {
		for _, mode := range modes {
			t.Run(mode.String(), func(t *testing.T) {
				e, _ := startWith(t, freshDB(t, url), harness.Options{Pacing: fastPacing}, ghsim.Faults{})
				f := e.createCohort()
				e.clock.Set(week1)
				// The first write of a burst of check-ins meets the limit;
				// the second half of the burst arrives while it lasts.
				in := e.Sim.InjectFaults(ghsim.Faults{Mode: mode, Rate: 1, Max: 1, Window: 2 * time.Second, WritesOnly: true})
				ids := map[string]int64{}
				for i, m := range allMentees {
					if i == len(allMentees)/2 {
						waitFor(t, 5*time.Second, "the limit", func() bool { return len(in.Windows()) == 1 })
						time.Sleep(windowGrace)
					}
					ids[m] = e.Sim.CommentAt(m, repo, f.mentees[m], complete, week1).ID
				}
				if w := in.Windows(); time.Now().After(w[0].Until) {
					t.Fatal("the burst outlasted the limit; the test checks nothing")
				}
				e.settle()
				checkWindowsSilent(t, e.Sim, in)
				for _, m := range allMentees {
					if got := reactions(e.comment(f.mentees[m], ids[m])); len(got) != 1 || got[0] != "+1" {
						t.Errorf("%s's check-in has reactions %v, want one 👍", m, got)
					}
				}
				if n := e.jobsFailed(); n != 0 {
					t.Errorf("%v job attempts failed: a rate limit must be waited out, not retried as a failure", n)
				}
			})
		}
	})
}
