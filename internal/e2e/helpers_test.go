// Package e2e drives the real cohortbot server through the simulated GitHub:
// signed webhooks over loopback HTTP in, REST calls out, state checked on the
// simulated GitHub. Every test runs on SQLite and, when
// COHORTBOT_TEST_POSTGRES_URL is set, on PostgreSQL too.
package e2e

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/harness"
	"github.com/cohortbot/cohortbot/internal/testclock"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

const (
	repo      = "kubernetes/community"
	organizer = "olivia"
)

type env struct {
	*harness.Harness
	t     *testing.T
	clock *testclock.Clock
}

// start runs fn against a fresh harness on each database.
func start(t *testing.T, fn func(e *env)) { startLogged(t, nil, fn) }

// startLogged is start with the server's log sent to logs at debug level
// (nil: the test's log, warnings only).
func startLogged(t *testing.T, logs io.Writer, fn func(e *env)) { startTuned(t, logs, nil, fn) }

// startTuned is startLogged with the harness options changed by tune
// (nil: as they are).
func startTuned(t *testing.T, logs io.Writer, tune func(*harness.Options), fn func(e *env)) {
	parallel(t)
	testdb.Each(t, func(t *testing.T, url string) {
		clk := testclock.New(time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC))
		logger := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
		if logs != nil {
			logger = zerolog.New(logs).Level(zerolog.DebugLevel)
		}
		opts := harness.Options{
			DatabaseURL:   url,
			OnUnknown:     func(m, p string) { t.Errorf("bot called an API the simulated GitHub does not know: %s %s", m, p) },
			Logger:        logger,
			Now:           clk.Now,
			Repo:          repo,
			EmitBotEvents: true,
			// Flows are tested at the simulated GitHub's speed; pacing at
			// GitHub's real 80 writes/min has tests of its own.
			Pacing: testPacing,
			// Tests change .github/cohortbot.yml mid-way: read it every time.
			ConfigTTL: -1,
			// A job inserted by the server wakes its own worker at once;
			// the poll only finds retries and snoozes come due. At 100 ms,
			// hundreds of idle servers polling SQLite were a quarter of
			// the package's CPU.
			PollInterval: 250 * time.Millisecond,
		}
		if tune != nil {
			tune(&opts)
		}
		h, err := harness.Start(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		h.Sim.SetPermission(repo, organizer, "write")
		for _, u := range people {
			h.Sim.SetPermission(repo, u, "read")
		}
		fn(&env{Harness: h, t: t, clock: clk})
	})
}

// parallelTests are the tests already marked parallel (a test may start
// more than one harness; t.Parallel may be called once).
var parallelTests sync.Map

// parallel runs the test beside the others: each has its own simulated
// GitHub, server and database, and spends most of its time waiting on
// loopback HTTP and the queue, so they overlap well even on two cores.
func parallel(t *testing.T) {
	if _, seen := parallelTests.LoadOrStore(t, true); !seen {
		t.Parallel()
	}
}

func (e *env) idle() {
	e.t.Helper()
	if err := e.WaitIdle(2 * time.Minute); err != nil {
		e.t.Fatal(err)
	}
}

// testPacing lets flow tests write at 100/s.
var testPacing = gh.PacerOptions{Writes: 6000, Per: time.Minute}

// people are the users of the test cohort, known to the simulated GitHub
// (GitHub refuses to assign unknown users).
var people = []string{"mentor-ann", "mentor-ben", "mentor-cy", "mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}

// form renders an issue body as GitHub renders an issue form submission.
func form(fields map[string]string) string { return cohort.SubmissionOf(cohort.FormFields, fields) }

func validFields() map[string]string {
	return map[string]string{
		"Cohort name":   "SIG Apps reviewers 2027",
		"Ladder step":   "Reviewer",
		"SIGs or areas": "SIG Apps, SIG CLI",
		"Mentors":       "@mentor-ann\n@mentor-ben\n@mentor-cy",
		"Mentees":       "@mia -> @mentor-ann\n@noah -> @mentor-ann\n@olga -> @mentor-ben\n@pete\n@quinn\n@rosa\n@sam\n@tess",
		"Start date":    "2027-01-11",
		"End date":      "2027-03-21",
		"Check-in day":  "Monday",
		"Time zone":     "UTC",
		"Chat channel":  "#cohort-sig-apps-2027",
		"Notes":         "Weekly standup in Slack.\n\n### Not a field\n- [ ] bring snacks",
	}
}

func with(f map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range f {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// botComments returns the bot's comments on an issue.
func (e *env) botComments(n int) []*ghsim.Comment {
	var out []*ghsim.Comment
	for _, c := range e.Sim.Comments(repo, n) {
		if c.User == e.Sim.BotLogin() {
			out = append(out, c)
		}
	}
	return out
}

// issuesWithLabel lists issue numbers carrying label.
func (e *env) issuesWithLabel(label string) []*ghsim.Issue {
	var out []*ghsim.Issue
	for _, i := range e.Sim.Issues(repo) {
		for _, l := range i.Labels {
			if l == label {
				out = append(out, i)
			}
		}
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
