package e2e

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/harness"
	"github.com/cohortbot/cohortbot/internal/testclock"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// faultTimeout is the bot's GitHub client timeout in fault tests: short, so
// that slow answers time out quickly.
const faultTimeout = time.Second

// fastPacing keeps the pacing machinery (token bucket, concurrency cap) but
// at a rate that does not slow a test down.
var fastPacing = gh.PacerOptions{Writes: 600, Per: time.Minute}

// startWith is start with harness options of the test's choosing, on a
// given database, with the faults injected before the bot's first call.
func startWith(t *testing.T, url string, o harness.Options, f ghsim.Faults) (*env, *ghsim.Injector) {
	t.Helper()
	clk := testclock.New(time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC))
	o.DatabaseURL, o.Now, o.Repo, o.EmitBotEvents = url, clk.Now, repo, true
	o.OnUnknown = func(m, p string) { t.Errorf("bot called an API the simulated GitHub does not know: %s %s", m, p) }
	o.Logger = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel + 1)
	if o.ClientTimeout == 0 {
		o.ClientTimeout = faultTimeout
	}
	h, err := harness.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	h.Sim.SetPermission(repo, organizer, "write")
	for _, u := range people {
		h.Sim.SetPermission(repo, u, "read")
	}
	return &env{Harness: h, t: t, clock: clk}, h.Sim.InjectFaults(f)
}

// settle waits, longer than idle, for every job: retries back off and
// rate limits are waited out.
func (e *env) settle() {
	e.t.Helper()
	if err := e.WaitIdle(120 * time.Second); err != nil {
		e.t.Fatal(err)
	}
}

// tickDone runs the scheduler as of at until nothing is due any more:
// under faults a tick fails or defers work, and the next one resumes.
func (e *env) tickDone(at time.Time) {
	e.t.Helper()
	e.clock.Set(at)
	ctx := context.Background()
	deadline := time.Now().Add(120 * time.Second)
	for {
		_, err := e.Server.Deps.Tick(ctx, at)
		if err == nil {
			due, err := e.Server.Store.DueCohorts(ctx, at)
			if err != nil {
				e.t.Fatal(err)
			}
			if len(due) == 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("scheduled work not done after two minutes: %v", err)
		}
		wait := 300 * time.Millisecond
		if until, ok := gh.RetryAt(err); ok {
			wait = max(time.Until(until), 50*time.Millisecond)
		}
		time.Sleep(wait)
	}
	e.settle()
}

// wholeCohort runs a cohort's life: the request, ten check-ins (one
// incomplete, fixed by an edit), an /away, a reminder tick, a week boundary
// with missed labels, and /close-cohort.
func (e *env) wholeCohort() {
	e.Sim.OpenIssue(organizer, repo, "New cohort", form(validFields()), "cohort/request")
	e.settle()
	hub, mentees := 0, map[string]int{}
	for _, is := range e.Sim.Issues(repo) {
		switch {
		case has(is.Labels, "cohort/hub"):
			hub = is.Number
		case has(is.Labels, "cohort/mentee") && len(is.Assignees) > 0:
			mentees[is.Assignees[0]] = is.Number
		}
	}
	if hub == 0 || len(mentees) != len(allMentees) {
		e.t.Fatalf("cohort not created: hub %d, mentee issues %v", hub, mentees)
	}
	e.clock.Set(week1)
	for _, m := range []string{"mia", "olga", "pete", "quinn"} {
		e.Sim.CommentAt(m, repo, mentees[m], complete, week1)
	}
	e.Sim.CommentAt("rosa", repo, mentees["rosa"], "/away", week1)
	noah := e.Sim.CommentAt("noah", repo, mentees["noah"], "/checkin\nAccomplishments: read the contributor guide", week1)
	e.settle()
	e.Sim.EditComment("noah", repo, noah.ID, "/checkin\nAccomplishments: read the contributor guide\nChallenges: none yet")
	e.settle()
	e.tickDone(time.Date(2027, 1, 17, 6, 0, 0, 0, time.UTC)) // week 1's reminders
	e.tickDone(time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC)) // week 1 ended
	week2 := time.Date(2027, 1, 20, 10, 0, 0, 0, time.UTC)
	e.clock.Set(week2)
	for _, m := range []string{"mia", "noah", "olga", "sam", "tess"} {
		e.Sim.CommentAt(m, repo, mentees[m], complete, week2)
	}
	e.settle()
	e.Sim.CommentAt(organizer, repo, hub, "/close-cohort", week2.Add(time.Hour))
	e.settle()
}

// simState is what users see on the simulated GitHub, ids and times left
// out: the final state two runs are compared by.
type simState struct {
	Labels []string
	Issues []issueState
}

type issueState struct {
	Number                   int
	Title, Body, State       string
	Labels, Assignees        []string
	SubIssues                []int
	Comments                 []commentState
	StateReason, ParentTitle string
}

type commentState struct {
	Author, Body string
	Reactions    []string
}

var (
	markerRE  = regexp.MustCompile(`<!--\s*cohortbot:[^>]*-->`)
	digitsRE  = regexp.MustCompile(`\d+`)
	commentRE = regexp.MustCompile(`issuecomment-\d+`)
)

// normalize drops what differs between runs: the simulated GitHub's
// address, comment anchors in links and the numbers inside the bot's
// markers.
func normalize(sim *ghsim.Sim, s string) string {
	s = strings.ReplaceAll(s, sim.URL(), "https://github.test")
	s = commentRE.ReplaceAllString(s, "issuecomment-ID")
	return markerRE.ReplaceAllStringFunc(s, func(m string) string { return digitsRE.ReplaceAllString(m, "#") })
}

func snapshot(sim *ghsim.Sim) simState {
	var st simState
	for _, l := range sim.Labels(repo) {
		st.Labels = append(st.Labels, l.Name+" "+l.Color+" "+l.Description)
	}
	sort.Strings(st.Labels)
	for _, is := range sim.Issues(repo) {
		s := issueState{Number: is.Number, Title: is.Title, Body: normalize(sim, is.Body), State: is.State,
			StateReason: is.StateReason, Labels: sorted(is.Labels), Assignees: sorted(is.Assignees),
			SubIssues: sim.SubIssues(repo, is.Number)}
		for _, c := range sim.Comments(repo, is.Number) {
			cs := commentState{Author: c.User, Body: normalize(sim, c.Body)}
			for _, r := range c.Reactions {
				cs.Reactions = append(cs.Reactions, r.User+":"+r.Content)
			}
			sort.Strings(cs.Reactions)
			s.Comments = append(s.Comments, cs)
		}
		st.Issues = append(st.Issues, s)
	}
	return st
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// faultCases are the fault modes a whole cohort runs under. Rates are per
// eligible request; a cohort's life makes some 400 requests.
var faultCases = []struct {
	name   string
	faults ghsim.Faults
	limits bool // only rate limits: no job attempt may fail
}{
	{"502 and 500", ghsim.Faults{Mode: ghsim.FaultServerError, Rate: 0.03, Seed: 1}, false},
	{"5xx after the write", ghsim.Faults{Mode: ghsim.FaultServerError, After: true, WritesOnly: true, Rate: 0.06, Seed: 2}, false},
	{"secondary limit 403", ghsim.Faults{Mode: ghsim.FaultSecondaryLimit, WritesOnly: true, Rate: 0.03, Seed: 3, Window: time.Second, Max: 4}, true},
	{"secondary limit 429", ghsim.Faults{Mode: ghsim.FaultTooManyRequests, WritesOnly: true, Rate: 0.03, Seed: 4, Window: time.Second, Max: 3}, true},
	{"primary limit", ghsim.Faults{Mode: ghsim.FaultPrimaryLimit, Rate: 0.01, Seed: 5, Window: 2 * time.Second, Max: 3}, true},
	{"low quota", ghsim.Faults{Mode: ghsim.FaultLowQuota, Rate: 0.02, Seed: 6, Window: 2 * time.Second, Max: 4}, true},
	{"slow answers", ghsim.Faults{Mode: ghsim.FaultSlow, WritesOnly: true, Rate: 0.06, Seed: 7, Delay: faultTimeout + 500*time.Millisecond, Max: 8}, false},
	{"dropped connections", ghsim.Faults{Mode: ghsim.FaultDrop, Rate: 0.05, Seed: 8}, false},
	{"dropped after the write", ghsim.Faults{Mode: ghsim.FaultDrop, After: true, WritesOnly: true, Rate: 0.08, Seed: 9}, false},
}

// freshDB is a new database of the same kind as url.
func freshDB(t *testing.T, url string) string {
	if strings.HasPrefix(url, "postgres") {
		return testdb.Postgres(t)
	}
	return testdb.SQLite(t)
}

func TestFaultsEndInTheCleanState(t *testing.T) {
	parallel(t)
	if testing.Short() {
		t.Skip("runs a cohort's life ten times")
	}
	testdb.Each(t, func(t *testing.T, url string) {
		clean, _ := startWith(t, url, harness.Options{Pacing: fastPacing}, ghsim.Faults{})
		clean.wholeCohort()
		want := snapshot(clean.Sim)
		t.Logf("clean run: %d requests, %v failed job attempts", len(clean.Sim.Requests()), clean.jobsFailed())
		for _, tc := range faultCases {
			t.Run(tc.name, func(t *testing.T) {
				parallel(t)
				e, in := startWith(t, freshDB(t, url), harness.Options{Pacing: fastPacing}, tc.faults)
				e.wholeCohort()
				if len(in.Hits()) == 0 {
					t.Fatal("no fault was injected: the case tests nothing")
				}
				if d := cmp.Diff(want, snapshot(e.Sim)); d != "" {
					t.Errorf("final state differs from the fault-free run's (-clean +faulted):\n%s", d)
				}
				checkWindowsSilent(t, e.Sim, in)
				t.Logf("%d faulty answers, %d rate-limit windows, %v failed job attempts",
					len(in.Hits()), len(in.Windows()), e.jobsFailed())
				if tc.limits && e.jobsFailed() != 0 {
					t.Errorf("%v job attempts failed: rate limits must be waited out (snoozed), not retried as failures", e.jobsFailed())
				}
			})
		}
	})
}

// windowGrace is how long after a rate limit's first answer requests
// already under way may still arrive.
const windowGrace = 250 * time.Millisecond

// checkWindowsSilent asserts that no request reached GitHub while a rate
// limit lasted, after the one that met it (and those already in flight).
func checkWindowsSilent(t *testing.T, sim *ghsim.Sim, in *ghsim.Injector) {
	t.Helper()
	reqs := sim.Requests()
	for _, w := range in.Windows() {
		if w.Mode == ghsim.FaultLowQuota {
			continue // a low quota is used, not waited out
		}
		n := 0
		for _, r := range reqs {
			if r.Installation == w.Installation && r.Time.After(w.Time.Add(windowGrace)) && r.Time.Before(w.Until) {
				n++
			}
		}
		if n != 0 {
			t.Errorf("%d requests during the %s window %s–%s, want none", n, w.Mode,
				w.Time.Format("15:04:05.000"), w.Until.Format("15:04:05.000"))
		}
	}
}
