package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/server"
	"github.com/cohortbot/cohortbot/internal/testclock"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

const budgetInstallation = 4242

// replicas are two cohortbot servers on one database and one simulated
// GitHub, as two replicas of a Deployment behind a load balancer. Their
// pacing runs on clk, which the test moves; the simulated GitHub records
// each write it receives at clk's time.
type replicas struct {
	sim    *ghsim.Sim
	srv    [2]*server.Server
	clk    *testclock.Clock
	mu     sync.Mutex
	writes []time.Time // at the simulated GitHub, clk's time
	issue  int
}

func startReplicas(t *testing.T, url string) *replicas {
	t.Helper()
	rs := &replicas{clk: testclock.New(time.Date(2027, 1, 11, 8, 0, 0, 0, time.UTC))}
	rs.sim = ghsim.New(ghsim.Options{Now: rs.clk.Now, OnUnknown: func(m, p string) { t.Errorf("unknown API %s %s", m, p) }})
	t.Cleanup(rs.sim.Close)
	rs.sim.AddInstallation(budgetInstallation, "kubernetes")
	rs.sim.AddRepo(budgetInstallation, repo, false)
	rs.issue = rs.sim.OpenIssue(organizer, repo, "busy issue", "").Number
	rs.sim.SetIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet && r.URL.Path != fmt.Sprintf("/app/installations/%d/access_tokens", budgetInstallation) {
			rs.mu.Lock()
			rs.writes = append(rs.writes, rs.clk.Now())
			rs.mu.Unlock()
		}
		return false
	})
	cfg, err := config.LoadServer("", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = url
	cfg.GitHub.V3APIURL = rs.sim.URL() + "/"
	cfg.GitHub.WebURL = rs.sim.URL()
	cfg.GitHub.App.IntegrationID = rs.sim.AppID()
	cfg.GitHub.App.PrivateKey = string(rs.sim.PrivateKeyPEM())
	cfg.GitHub.App.WebhookSecret = "replicas-secret"
	if err := cfg.LoadCredentials(); err != nil {
		t.Fatal(err)
	}
	for i := range rs.srv {
		// GitHub's limits (80 a minute, 500 an hour) on the test's clock;
		// a write never waits inside the request: it is refused with the
		// instant its turn comes, and the test tries again then.
		srv, err := server.New(context.Background(), cfg, server.Options{Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
			Now: rs.clk.Now, Clock: rs.clk.Now, NoWorkers: true, NoPeriodic: true,
			Pacing: gh.PacerOptions{Now: rs.clk.Now, MaxWait: -1}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Store.Close() })
		rs.srv[i] = srv
	}
	return rs
}

// write comments on the busy issue through replica i's GitHub client, as
// a flow does: nil when sent, *gh.RateLimited when the budget said wait.
func (rs *replicas) write(i int) error {
	c, err := rs.srv[i].Deps.Clients.NewInstallationClient(budgetInstallation)
	if err != nil {
		return err
	}
	_, err = gh.New(c, nil).CreateComment(context.Background(), repo, rs.issue, "a write")
	return err
}

// most is the largest number of recorded writes in any window of length d.
func (rs *replicas) most(d time.Duration) int {
	rs.mu.Lock()
	ts := append([]time.Time(nil), rs.writes...)
	rs.mu.Unlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= d {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// Two replicas writing for one installation as fast as they may (each
// offering 96 writes a minute), for 75 minutes of the test's clock: GitHub sees at most 80 writes in any minute
// and 500 in any hour, because both replicas draw from one budget in the
// database (each replica pacing itself would let through twice as many).
// The clock moves only between rounds, when no request is in flight, so
// every write is recorded at the instant its replica reserved it.
func TestReplicasShareOneWriteBudget(t *testing.T) {
	parallel(t)
	testdb.Each(t, func(t *testing.T, url string) {
		rs := startReplicas(t, url)
		var sent [2]int
		end := rs.clk.Now().Add(75 * time.Minute)
		for rs.clk.Now().Before(end) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i := range rs.srv {
				for range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						err := rs.write(i)
						var rl *gh.RateLimited
						switch {
						case err == nil:
							mu.Lock()
							sent[i]++
							mu.Unlock()
						case !errors.As(err, &rl) || rl.Reason != gh.ReasonPacing:
							t.Errorf("replica %d: %v, want sent or paced", i, err)
						}
					}()
				}
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			rs.clk.Set(rs.clk.Now().Add(5 * time.Second))
		}
		minute, hour := rs.most(time.Minute), rs.most(time.Hour)
		t.Logf("sent %v; most in a minute %d, in an hour %d", sent, minute, hour)
		if minute > 80 || hour > 500 {
			t.Errorf("GitHub saw %d writes in a minute and %d in an hour, want ≤ 80 and ≤ 500", minute, hour)
		}
		// The budget is used, by both replicas: its burst and at least its
		// sustained rate after (100 + 400 an hour).
		if sent[0] == 0 || sent[1] == 0 || sent[0]+sent[1] < 550 {
			t.Errorf("sent %v in 75 minutes; want both replicas writing, ≥ 550 together", sent)
		}
	})
}

// Urgent first, across replicas: once one replica has spent the minute's
// budget down to its last quarter, the other sees the budget low and defers
// non-urgent work (re-renders, reminders), while an urgent write still
// goes. A secondary limit one replica meets pauses the other too.
func TestReplicasShareLowBudgetAndPauses(t *testing.T) {
	parallel(t)
	testdb.Each(t, func(t *testing.T, url string) {
		rs := startReplicas(t, url)
		a, b := rs.srv[0].Pacer, rs.srv[1].Pacer
		if _, low := b.Low(budgetInstallation); low {
			t.Fatal("a fresh budget is low")
		}
		for range 16 { // of the burst of 20
			if err := rs.write(0); err != nil {
				t.Fatal(err)
			}
		}
		if _, low := b.Low(budgetInstallation); !low {
			t.Errorf("replica B does not see the budget low after A spent 16 of 20: %+v", b.Quota(budgetInstallation))
		}
		if err := rs.write(1); err != nil {
			t.Errorf("an urgent write on B with the budget low: %v, want sent", err)
		}

		// A meets a secondary limit (403, Retry-After: 60); B then sends
		// nothing until it is over.
		rs.sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`)
			return true
		})
		var rl *gh.RateLimited
		if err := rs.write(0); !errors.As(err, &rl) || rl.Reason != gh.ReasonSecondary {
			t.Fatalf("A: %v, want the secondary limit", err)
		}
		rs.sim.SetIntercept(nil)
		before := len(rs.sim.Requests())
		rs.clk.Set(rs.clk.Now().Add(30 * time.Second))
		if err := rs.write(1); !errors.As(err, &rl) || rl.Reason != gh.ReasonSecondary || !rl.Until.After(rs.clk.Now()) {
			t.Errorf("B during A's pause: %v, want RateLimited (secondary) for the rest of the minute", err)
		}
		if _, low := a.Low(budgetInstallation); !low {
			t.Error("A does not defer non-urgent work during the pause")
		}
		rs.clk.Set(rs.clk.Now().Add(31 * time.Second))
		if err := rs.write(1); err != nil {
			t.Errorf("B after the pause: %v", err)
		}
		if n := len(rs.sim.Requests()) - before; n != 1 {
			t.Errorf("%d requests reached GitHub after the limit, want only the write after the pause", n)
		}
	})
}
