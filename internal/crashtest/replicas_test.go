package crashtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// balancer spreads webhook deliveries over the replicas in turn, as a load
// balancer in front of a Deployment does; a replica marked down gets no
// more. A delivery whose replica dies under it fails (502), as on GitHub.
type balancer struct {
	URL      string
	mu       sync.Mutex
	replicas []*replica
	down     map[*replica]bool
	next     int
}

func newBalancer(t *testing.T, rs ...*replica) *balancer {
	b := &balancer{replicas: rs, down: map[*replica]bool{}}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	b.URL = srv.URL
	return b
}

// markDown takes a replica out of rotation, as a failed readiness probe does.
func (b *balancer) markDown(r *replica) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.down[r] = true
}

func (b *balancer) pick() *replica {
	b.mu.Lock()
	defer b.mu.Unlock()
	for range b.replicas {
		r := b.replicas[b.next%len(b.replicas)]
		b.next++
		if !b.down[r] {
			return r
		}
	}
	return nil
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r := b.pick()
	if r == nil {
		http.Error(w, "no replica up", http.StatusBadGateway)
		return
	}
	out, _ := http.NewRequest(req.Method, r.URL()+req.URL.Path, bytes.NewReader(body))
	out.Header = req.Header.Clone()
	resp, err := http.DefaultClient.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// leader is the id of River's elected leader ("" when none).
func (w *world) leader() string {
	var id string
	w.st.QueryRow(context.Background(), `SELECT leader_id FROM river_leader`).Scan(&id)
	return id
}

// waitFor polls cond for up to timeout.
func (w *world) waitFor(what string, timeout time.Duration, cond func() bool) {
	w.t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	w.t.Fatalf("%s: not within %s", what, timeout)
}

// TestTwoReplicasOnePostgres runs two `serve` replicas on one PostgreSQL
// database, both ticking every second, with deliveries spread over both. The
// cohort's first week is over (in real time), so the elected leader's tick
// has a boundary to post. Mid-burst the leader is killed; its in-flight
// deliveries fail and are redelivered to the survivor, which takes over
// River's leadership and the scheduler. Every effect must exist exactly once.
func TestTwoReplicasOnePostgres(t *testing.T) {
	db := testdb.Postgres(t)
	started := time.Now()
	w := newWorld(t, db, nil)
	env := w.env("COHORTBOT_TICK_INTERVAL=1s")
	a, b := newReplica(t, "replica-a", env), newReplica(t, "replica-b", env)
	if err := a.start(); err != nil {
		t.Fatal(err)
	}
	w.waitFor("replica-a elected leader", 2*time.Minute, func() bool { return w.leader() != "" })
	first := w.leader()
	if err := b.start(); err != nil {
		t.Fatal(err)
	}
	lb := newBalancer(t, a, b)
	w.sim.SetWebhook(lb.URL+"/api/github/hook", secret)
	up := func() bool { return b.ready() }

	now := time.Now().UTC()
	monday := now.AddDate(0, 0, -((int(now.Weekday())+6)%7)-7).Truncate(24 * time.Hour)
	w.sim.OpenIssue(organizer, repo, "New cohort", request(monday), "cohort/request")
	w.settle(up, 4*time.Minute)
	hub, m := w.numbers()
	if hub == 0 || len(m) != 8 {
		t.Fatalf("cohort not created: hub %d, mentee issues %v", hub, m)
	}
	w.waitFor("week-1 boundary posted", 2*time.Minute, func() bool { return len(w.botCommentsWith(hub, "Week 1 ended")) > 0 })

	reactions := 0
	w.onWrite = func(req *http.Request, _ http.ResponseWriter) bool {
		if strings.HasSuffix(req.URL.Path, "/reactions") {
			if reactions++; reactions == 4 {
				lb.markDown(a)
				a.kill()
			}
		}
		return false
	}
	burst(w, hub, m)
	w.settle(up, 4*time.Minute)
	if a.startCount() != 1 || a.running() {
		t.Fatal("replica-a was not killed mid-burst")
	}
	w.waitFor("survivor elected leader", 2*time.Minute, func() bool { l := w.leader(); return l != "" && l != first })
	took := time.Now()
	w.waitFor("survivor ticks", time.Minute, func() bool { return w.ticksSince(took) > 0 })
	checkOnce(t, w, hub, m)
	// One periodic tick a second in all, not one per replica: only the
	// leader schedules it (each new leader adds one at once).
	if n, max := w.ticksSince(time.Time{}), int(time.Since(started).Seconds())+3; n > max {
		t.Errorf("%d ticks in %s: more than one replica schedules them", n, time.Since(started).Round(time.Second))
	}
}

// ticksSince counts the scheduler's tick jobs finished after t.
func (w *world) ticksSince(t time.Time) int {
	var n int
	if err := w.st.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job
		WHERE kind = 'tick' AND state = 'completed' AND finalized_at > ?`, t).Scan(&n); err != nil {
		w.t.Fatalf("count ticks: %v", err)
	}
	return n
}

// burst is ten check-ins at once: each mentee's own and two mentors' for
// their mentees on the hub.
func burst(w *world, hub int, m map[string]int) {
	var wg sync.WaitGroup
	post := func(user string, n int, body string) {
		defer wg.Done()
		w.sim.Comment(user, repo, n, body)
	}
	for u, n := range m {
		wg.Add(1)
		go post(u, n, complete)
	}
	wg.Add(2)
	go post("mentor-ann", hub, strings.Replace(complete, "/checkin", "/checkin @mia", 1))
	go post("mentor-ben", hub, strings.Replace(complete, "/checkin", "/checkin @olga", 1))
	wg.Wait()
}

// checkOnce asserts every effect of the run exists exactly once.
func checkOnce(t *testing.T, w *world, hub int, m map[string]int) {
	t.Helper()
	if n := len(w.botCommentsWith(hub, "Week 1 ended")); n != 1 {
		t.Errorf("%d week-1 boundary comments on the hub, want 1", n)
	}
	issues := w.sim.Issues(repo)
	if len(issues) != 10 {
		t.Errorf("%d issues, want the request, the hub and 8 mentee issues", len(issues))
	}
	for _, i := range issues {
		seen := map[string]bool{}
		for _, c := range w.sim.Comments(repo, i.Number) {
			if c.User == w.sim.BotLogin() {
				if seen[c.Body] {
					t.Errorf("#%d: bot comment twice:\n%s", i.Number, c.Body)
				}
				seen[c.Body] = true
				continue
			}
			if strings.HasPrefix(c.Body, "/checkin") {
				if got := fmt.Sprint(reactionsOf(c.Reactions)); got != "[cohortbot[bot]:+1]" {
					t.Errorf("#%d: check-in by %s has reactions %s, want one 👍", i.Number, c.User, got)
				}
			}
		}
	}
	for u := range m {
		if row := w.boardRow(hub, u); !strings.Contains(row, "✅") {
			t.Errorf("@%s's check-in missing from the board: %q", u, row)
		}
	}
	if n := w.lost(); n > 0 {
		t.Errorf("%d jobs discarded", n)
	}
}

// botCommentsWith lists the bot's comments on issue n containing text.
func (w *world) botCommentsWith(n int, text string) []string {
	var out []string
	for _, c := range w.sim.Comments(repo, n) {
		if c.User == w.sim.BotLogin() && strings.Contains(c.Body, text) {
			out = append(out, c.Body)
		}
	}
	return out
}

// boardRow is a mentee's row of the hub's board.
func (w *world) boardRow(hub int, handle string) string {
	for _, l := range strings.Split(w.sim.Issue(repo, hub).Body, "\n") {
		if strings.HasPrefix(l, "| @"+handle+" |") && strings.Count(l, "|") > 5 {
			return l
		}
	}
	return ""
}

func reactionsOf(rs []ghsim.Reaction) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.User+":"+r.Content)
	}
	return out
}
