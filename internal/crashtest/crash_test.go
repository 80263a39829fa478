package crashtest

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// kill is one crash: SIGKILL the process making the nth write matching
// method and path, either before GitHub applies it (the request never
// arrived) or after (GitHub did it, the bot never learnt the answer — the
// window a stored "pending" effect exists for). During the week-boundary
// step the writing process is `cohortbot tick`, which is killed and run
// again, as cron would; otherwise it is `serve`, which is restarted.
type kill struct {
	method, path string
	nth          int
	before       bool
}

func (k kill) matches(r *http.Request) bool {
	return r.Method == k.method && regexp.MustCompile(`^/repos/[^/]+/[^/]+`+k.path+`$`).MatchString(r.URL.Path)
}

// killPlans are the crash runs, two kills each, aimed at the writes whose
// loss or repetition users would see: issues, sub-issues, comments,
// reactions, labels, rendered bodies and the scheduler's boundary comment.
var killPlans = []struct {
	name  string
	kills []kill
}{
	{"hub_created_then_third_reaction", []kill{
		{"POST", `/issues`, 2, false}, {"POST", `/issues/comments/\d+/reactions`, 3, false}}},
	{"mentee_issue_created_then_reply_posted", []kill{
		{"POST", `/issues`, 5, false}, {"POST", `/issues/\d+/comments`, 2, false}}},
	{"sub_issue_linked_then_reply_edited", []kill{
		{"POST", `/issues/\d+/sub_issues`, 3, false}, {"PATCH", `/issues/comments/\d+`, 1, false}}},
	{"report_posted_then_mentee_write_not_sent", []kill{
		{"POST", `/issues/1/comments`, 1, false}, {"PATCH", `/issues/[3-9]`, 2, true}}},
	{"hub_rendered_then_tick_posted_boundary", []kill{
		{"PATCH", `/issues/2`, 1, false}, {"POST", `/issues/2/comments`, 1, false}}},
	{"label_not_created_then_reaction_removed", []kill{
		{"POST", `/labels`, 2, true}, {"DELETE", `/issues/comments/\d+/reactions/\d+`, 1, false}}},
}

// TestCrashAnywhere kills the real `serve` process (and once `cohortbot
// tick`) with SIGKILL at many points of a busy run and restarts it on the
// same SQLite database; the simulated GitHub must end exactly as after a
// run without crashes: nothing lost, no issue, comment, label or reaction
// twice. The runs, the clean one included, go at once, whatever -parallel
// says (t.Run from several goroutines): they mostly wait for the restarted
// process to win River's leadership (up to 15 s) and rescue the jobs the
// killed one left running.
func TestCrashAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("starts cohortbot processes")
	}
	// The clean run goes beside the crashed ones; each crashed run's
	// final state is compared with it once both are done.
	clean := make(chan []issueState, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Run("clean", func(t *testing.T) { clean <- crashRun(t, nil) })
	}()
	got := make([][]issueState, len(killPlans))
	for i, p := range killPlans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(p.name, func(t *testing.T) { got[i] = crashRun(t, p.kills) })
		}()
	}
	wg.Wait()
	var want []issueState
	select {
	case want = <-clean:
	default:
		t.Fatal("the clean run failed: nothing to compare with")
	}
	for i, p := range killPlans {
		if got[i] == nil {
			continue // that run failed already
		}
		if d := cmp.Diff(want, got[i]); d != "" {
			t.Errorf("%s: final state differs from the clean run's (-clean +crashed):\n%s", p.name, d)
		}
	}
}

// crashRun runs the busy scenario against one `serve` process on a fresh
// SQLite file, killing as planned, and returns the final state.
func crashRun(t *testing.T, kills []kill) []issueState {
	// GitHub's clock runs from week 1, when the scenario's comments are
	// dated, so an edit is newer than its comment.
	t0 := time.Now()
	w := newWorld(t, testdb.SQLite(t), func() time.Time { return week1.Add(time.Since(t0)) })
	r := newReplica(t, "serve", w.env())
	seen := make([]int, len(kills))
	w.onWrite = func(req *http.Request, rw http.ResponseWriter) bool {
		for i, k := range kills {
			if !k.matches(req) {
				continue
			}
			if seen[i]++; seen[i] != k.nth {
				continue
			}
			if !w.killTick() {
				r.crash()
			}
			if k.before {
				rw.WriteHeader(http.StatusBadGateway)
				return true
			}
		}
		return false
	}
	w.sim.SetWebhook(r.URL()+"/api/github/hook", secret)
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	busyRun(w, func() { w.settle(r.ready, 4*time.Minute) })
	w.mu.Lock()
	fired := 0
	for i, k := range kills {
		if seen[i] >= k.nth {
			fired++
		}
	}
	w.mu.Unlock()
	if fired != len(kills) {
		t.Errorf("only %d of %d kill points were reached: %v", fired, len(kills), kills)
	}
	if n := w.lost(); n > 0 {
		t.Errorf("%d jobs discarded", n)
	}
	return w.snapshot()
}

// tick runs `cohortbot tick --at` to completion; when a kill point stopped
// it, or it left a cohort busy (the killed run's lease on the cohort had not
// lapsed yet), it runs again, as the next cron run would.
func (w *world) tick(at string) {
	w.t.Helper()
	kills := 0
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		out, killed, err := w.runTick(at)
		switch {
		case killed:
			if kills++; kills > 3 {
				w.t.Fatal("cohortbot tick killed more than three times")
			}
		case err != nil:
			w.t.Fatalf("cohortbot tick: %v\n%s", err, out)
		case !leftBusy.MatchString(out):
			return
		default:
			time.Sleep(200 * time.Millisecond) // the lease lapses after the job timeout
		}
	}
	w.t.Fatal("cohortbot tick still found a cohort busy after a minute")
}

// leftBusy matches tick's summary when it left cohorts for the next tick.
var leftBusy = regexp.MustCompile(`, [1-9]\d* busy \(left for the next tick\)`)

// runTick runs one `cohortbot tick` process that killTick can kill.
func (w *world) runTick(at string) (string, bool, error) {
	// The story runs on the simulated GitHub's clock, weeks ahead of the
	// wall clock: such an instant needs --force.
	cmd := newCommand(w.env(), "tick", "--force", "--at", at)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	w.mu.Lock()
	err := cmd.Start()
	if err == nil {
		w.ticking, w.tickKilled = cmd, false
	}
	w.mu.Unlock()
	if err != nil {
		return "", false, err
	}
	err = cmd.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ticking = nil
	return out.String(), w.tickKilled, err
}

// killTick kills the running `cohortbot tick`, if any. The caller holds w.mu.
func (w *world) killTick() bool {
	if w.ticking == nil {
		return false
	}
	w.ticking.Process.Kill()
	w.tickKilled = true
	return true
}
