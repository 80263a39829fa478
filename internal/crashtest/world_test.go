package crashtest

import (
	"context"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/store"
)

const (
	repo      = "kubernetes/community"
	organizer = "olivia"
	install   = 4242
	secret    = "crash-test-webhook-secret"
)

// people are the users of the test cohort.
var people = []string{"mentor-ann", "mentor-ben", "mentor-cy", "mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}

// world is a simulated GitHub, a database and the processes serving it.
type world struct {
	t   *testing.T
	sim *ghsim.Sim
	db  string
	st  *store.Store // the test's own connection, to watch the job queue

	mu         sync.Mutex // guards what follows; held while onWrite runs
	onWrite    func(r *http.Request, w http.ResponseWriter) bool
	ticking    *exec.Cmd // the running `cohortbot tick`, if any
	tickKilled bool
}

// newWorld starts a simulated GitHub with the mentoring repository and
// opens the database the replicas will share. now is the simulated GitHub's
// clock (nil: the real one).
func newWorld(t *testing.T, dbURL string, now func() time.Time) *world {
	t.Helper()
	w := &world{t: t, db: dbURL}
	w.sim = ghsim.New(ghsim.Options{EmitBotEvents: true, Now: now,
		OnUnknown: func(m, p string) { t.Errorf("bot called an API the simulated GitHub does not know: %s %s", m, p) }})
	t.Cleanup(w.sim.Close)
	w.sim.AddInstallation(install, "kubernetes")
	w.sim.AddRepo(install, repo, false)
	w.sim.SetPermission(repo, organizer, "write")
	for _, u := range people {
		w.sim.SetPermission(repo, u, "read")
	}
	w.sim.SetIntercept(w.intercept)
	st, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	w.st = st
	return w
}

// env is the environment of every `cohortbot` process of the world. The
// job timeout (and with it the issue-lock lease and the rescue of jobs a
// killed process left running) is short so a crash is recovered from in
// seconds, not minutes. Writes are paced at the highest rate the service
// allows, not github.com's 80 a minute: the scenario's few hundred writes
// would otherwise take most of a minute per run, and pacing has tests of
// its own (internal/e2e).
func (w *world) env(extra ...string) []string {
	return append([]string{
		"GITHUB_APP_INTEGRATION_ID=" + strconv.FormatInt(w.sim.AppID(), 10),
		"GITHUB_APP_PRIVATE_KEY=" + string(w.sim.PrivateKeyPEM()),
		"GITHUB_APP_WEBHOOK_SECRET=" + secret,
		"GITHUB_V3_API_URL=" + w.sim.URL() + "/",
		"GITHUB_V4_API_URL=" + w.sim.URL() + "/graphql",
		"GITHUB_WEB_URL=" + w.sim.URL(),
		"COHORTBOT_DATABASE_URL=" + w.db,
		"COHORTBOT_JOB_TIMEOUT=2s",
		"COHORTBOT_LOG_LEVEL=warn",
		"COHORTBOT_GITHUB_WRITES_PER_MINUTE=6000",
	}, extra...)
}

// intercept lets onWrite act on a write (kill a process) before the
// simulated GitHub applies it; true means onWrite answered instead.
func (w *world) intercept(rw http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.onWrite != nil && w.onWrite(r, rw)
}

// failed lists deliveries whose latest attempt got no answer or a 5xx:
// those GitHub shows as failed and an operator (or its automatic retry)
// redelivers. A delivery the service acknowledged is never resent.
func (w *world) failed() []string {
	latest := map[string]ghsim.Delivery{}
	var order []string
	for _, d := range w.sim.Deliveries() {
		if _, ok := latest[d.ID]; !ok {
			order = append(order, d.ID)
		}
		latest[d.ID] = d
	}
	var out []string
	for _, id := range order {
		if d := latest[id]; d.Status == 0 || d.Status >= 500 {
			out = append(out, id)
		}
	}
	return out
}

// pending counts unfinished jobs in the shared queue.
func (w *world) pending() int {
	var n int
	err := w.st.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending')`).Scan(&n)
	if err != nil {
		w.t.Logf("count jobs: %v", err)
		return -1
	}
	return n
}

// settle waits until every delivery was acknowledged and every job is
// finished, redelivering failed deliveries whenever up says the service
// answers again.
func (w *world) settle(up func() bool, timeout time.Duration) {
	w.t.Helper()
	deadline := time.Now().Add(timeout)
	quiet := 0
	for time.Now().Before(deadline) {
		w.sim.WaitDeliveries()
		if failed := w.failed(); len(failed) > 0 {
			quiet = 0
			if up() {
				for _, id := range failed {
					w.sim.Redeliver(id)
				}
			}
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if w.pending() == 0 {
			if quiet++; quiet >= 4 {
				return
			}
		} else {
			quiet = 0
		}
		time.Sleep(100 * time.Millisecond)
	}
	w.t.Fatalf("not settled after %s: %d jobs pending, failed deliveries %v", timeout, w.pending(), w.failed())
}

// lost counts jobs River gave up on: work acknowledged and then lost.
func (w *world) lost() int {
	var n int
	if err := w.st.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE state = 'discarded'`).Scan(&n); err != nil {
		w.t.Fatalf("count discarded jobs: %v", err)
	}
	return n
}

// comment posts a comment as user at the given instant.
func (w *world) comment(user string, number int, body string, at time.Time) *ghsim.Comment {
	return w.sim.CommentAt(user, repo, number, body, at)
}

// numbers finds the hub and the mentee issues by their labels.
func (w *world) numbers() (hub int, mentees map[string]int) {
	mentees = map[string]int{}
	for _, i := range w.sim.Issues(repo) {
		for _, l := range i.Labels {
			switch {
			case l == "cohort/hub":
				hub = i.Number
			case l == "cohort/mentee" && len(i.Assignees) > 0:
				mentees[i.Assignees[0]] = i.Number
			}
		}
	}
	return hub, mentees
}
