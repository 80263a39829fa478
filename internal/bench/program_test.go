package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/server"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// The program-scale run (issue 13, "Measure, then write down"): one
// installation, 30 cohorts × 10 mentees, a Monday surge of 300 check-ins
// together with the week boundary, at GitHub's limits. It takes minutes,
// so it runs only when asked:
//
//	COHORTBOT_BENCH_PROGRAM=1 [COHORTBOT_TEST_POSTGRES_URL=…] go test ./internal/bench -run TestProgramScale -v -timeout 60m
//
// Time is compressed by the speed-up (COHORTBOT_BENCH_SPEEDUP, default 60):
// the pacing runs at GitHub's limits with every window divided by it (80
// writes per minute/60, 500 per hour/60), so one second of the run is a
// minute at GitHub. Durations are reported multiplied back; the work the
// server does between writes is not compressed (nor River's 5-second
// scheduler for snoozed jobs), so the reported times are upper bounds; and
// the jitter between a write's reservation and its arrival (tens of
// milliseconds) is stretched as much, which a per-minute window at ×60
// (one second) cannot absorb: check that figure at a smaller speed-up.
const (
	programCohorts      = 30
	programInstallation = 9000
	programRepo         = "program-org/community"
)

var programSpeedup = time.Duration(60)

func TestProgramScale(t *testing.T) {
	if os.Getenv("COHORTBOT_BENCH_PROGRAM") == "" {
		t.Skip("the program-scale run takes minutes; set COHORTBOT_BENCH_PROGRAM=1")
	}
	if n, err := strconv.Atoi(os.Getenv("COHORTBOT_BENCH_SPEEDUP")); err == nil && n > 0 {
		programSpeedup = time.Duration(n)
	}
	runs := []struct {
		name     string
		url      func(t *testing.T) string
		replicas int
	}{
		{"sqlite, one replica", func(t *testing.T) string { return testdb.SQLite(t) }, 1},
		{"postgres, two replicas", func(t *testing.T) string { return testdb.Postgres(t) }, 2},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			p := newProgram(t, r.url(t))
			p.setUp(t)
			p.surge(t, r.replicas)
		})
	}
}

// program is the simulated GitHub with one installation and the servers.
type program struct {
	sim     *ghsim.Sim
	dbURL   string
	flow    atomic.Pointer[time.Time]
	hubs    map[int]bool
	mentees []mentee
}

func newProgram(t *testing.T, dbURL string) *program {
	p := &program{dbURL: dbURL, hubs: map[int]bool{}}
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC) // a Monday
	p.flow.Store(&start)
	p.sim = ghsim.New(ghsim.Options{Now: p.now})
	t.Cleanup(p.sim.Close)
	p.sim.AddInstallation(programInstallation, "program-org")
	p.sim.AddRepo(programInstallation, programRepo, false)
	p.sim.SetPermission(programRepo, organizer, "write")
	return p
}

func (p *program) now() time.Time { return *p.flow.Load() }

// request renders cohort k's issue form: 4 mentors and 10 mentees of its own.
func (p *program) request(k int) string {
	var ms, mts []string
	for j := range 4 {
		h := fmt.Sprintf("p%02d-mentor%d", k, j)
		p.sim.SetPermission(programRepo, h, "read")
		mts = append(mts, "@"+h)
	}
	for j := range maxMentees {
		h := fmt.Sprintf("p%02d-m%02d", k, j)
		p.sim.SetPermission(programRepo, h, "read")
		ms = append(ms, "@"+h)
	}
	fields := []string{"Cohort name", fmt.Sprintf("Program cohort %d", k), "Ladder step", "Reviewer",
		"SIGs or areas", "SIG Apps", "Mentors", strings.Join(mts, "\n"), "Mentees", strings.Join(ms, "\n"),
		"Start date", "2027-01-04", "End date", "2027-03-14", "Check-in day", "Monday", "Time zone", "UTC",
		"Chat channel", "#program", "Notes", "_No response_"}
	return cohort.Submission(fields...)
}

// serve starts a server on the program's database with pacing o.
func (p *program) serve(t *testing.T, o gh.PacerOptions, noPeriodic bool) (*server.Server, string, func()) {
	addr, err := freeAddress()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := simConfig(p.sim, p.dbURL, addr)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(context.Background(), cfg, server.Options{Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel),
		Now: p.now, Clock: time.Now, NoPeriodic: noPeriodic, Pacing: o, ConfigTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	return srv, "http://" + addr, func() { cancel(); <-done }
}

// idle waits until no job is pending on srv's database.
func idleOn(t *testing.T, srv *server.Server, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for quiet := 0; quiet < 3; time.Sleep(time.Second) {
		n, err := srv.Queue.Pending(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending after %s", n, timeout)
		}
	}
}

// setUp creates the 30 cohorts through the request flow, unpaced (the set-up
// is not what is measured), and finds their issues.
func (p *program) setUp(t *testing.T) {
	srv, u, stop := p.serve(t, gh.PacerOptions{Writes: 60000, Per: time.Minute}, true)
	p.sim.SetWebhook(u+"/api/github/hook", webhookSecret)
	for k := range programCohorts {
		p.sim.OpenIssue(organizer, programRepo, fmt.Sprintf("New cohort %d", k), p.request(k), "cohort/request")
	}
	time.Sleep(2 * time.Second)
	idleOn(t, srv, 10*time.Minute)
	stop()
	for _, is := range p.sim.Issues(programRepo) {
		for _, l := range is.Labels {
			switch {
			case l == "cohort/hub":
				p.hubs[is.Number] = true
			case l == "cohort/mentee" && len(is.Assignees) == 1:
				p.mentees = append(p.mentees, mentee{handle: is.Assignees[0], repo: programRepo, issue: is.Number})
			}
		}
	}
	if len(p.hubs) != programCohorts || len(p.mentees) != programCohorts*maxMentees {
		t.Fatalf("%d hubs and %d mentee issues, want %d and %d", len(p.hubs), len(p.mentees), programCohorts, programCohorts*maxMentees)
	}
}

var reactionPath = regexp.MustCompile(`/issues/comments/(\d+)/reactions$`)

// surge: Monday of week 2, every mentee checks in at once while the week
// boundary (week 1 missed by all) is processed; measured at GitHub's limits.
func (p *program) surge(t *testing.T, replicas int) {
	monday := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	p.flow.Store(&monday)
	pacing := gh.PacerOptions{Per: time.Minute / programSpeedup}
	var srvs []*server.Server
	var urls []*url.URL
	for range replicas {
		srv, u, stop := p.serve(t, pacing, true)
		defer stop()
		srvs = append(srvs, srv)
		pu, _ := url.Parse(u)
		urls = append(urls, pu)
	}
	var next atomic.Uint64
	lb := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(urls[next.Add(1)%uint64(len(urls))])
	}}
	front := &http.Server{Handler: lb}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go front.Serve(ln)
	defer front.Close()
	p.sim.SetWebhook("http://"+ln.Addr().String()+"/api/github/hook", webhookSecret)

	// Writes are timed as they arrive, as GitHub counts them (the sim's
	// request log is written after each answer).
	var mu sync.Mutex
	var arrivals []time.Time
	p.sim.SetIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet && !strings.HasSuffix(r.URL.Path, "/access_tokens") {
			mu.Lock()
			arrivals = append(arrivals, time.Now())
			mu.Unlock()
		}
		return false
	})
	before := len(p.sim.Requests())
	t0 := time.Now()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the week boundary, on one replica, as River's leader would:
		// a tick that meets the write budget's limit stops, and the next
		// tick (COHORTBOT_TICK_INTERVAL, 10 minutes) carries on.
		defer wg.Done()
		for i := 0; ; i++ {
			_, err := srvs[0].Deps.Tick(context.Background(), monday)
			switch {
			case err == nil:
				return
			case i == 100:
				t.Errorf("the boundary is not done after 100 ticks: %v", err)
				return
			}
			time.Sleep(10 * time.Minute / programSpeedup)
		}
	}()
	comments := map[int64]bool{}
	for _, m := range p.mentees {
		c := p.sim.CommentAt(m.handle, m.repo, m.issue, checkinBody, monday)
		comments[c.ID] = true
	}
	wg.Wait()
	time.Sleep(2 * time.Second)
	idleOn(t, srvs[0], 5*time.Hour/programSpeedup+10*time.Minute)
	mu.Lock()
	defer mu.Unlock()
	p.report(t, replicas, t0, before, comments, arrivals)
}

// report prints the figures: time until every 👍 and until the boards'
// last write (scaled back to GitHub's time), the most writes in any minute
// and hour (in the compressed windows), and the writes in all.
func (p *program) report(t *testing.T, replicas int, t0 time.Time, before int, comments map[int64]bool, writes []time.Time) {
	reqs := p.sim.Requests()[before:]
	var lastThumb, lastBoard time.Time
	thumbs := 0
	for _, r := range reqs {
		if r.Method == http.MethodGet || strings.HasSuffix(r.Path, "/access_tokens") || r.Status >= 300 {
			continue
		}
		if m := reactionPath.FindStringSubmatch(r.Path); m != nil && strings.Contains(string(r.Body), `"+1"`) {
			if id, _ := strconv.ParseInt(m[1], 10, 64); comments[id] {
				thumbs++
				lastThumb = maxTime(lastThumb, r.Time)
			}
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(r.Path, "/repos/"+programRepo+"/issues/")); err == nil && p.hubs[n] && r.Method == http.MethodPatch {
			lastBoard = maxTime(lastBoard, r.Time)
		}
	}
	per := time.Minute / programSpeedup
	scaled := func(at time.Time) time.Duration { return (at.Sub(t0) * programSpeedup).Round(time.Minute) }
	t.Logf("×%d, replicas %d: %d of %d check-ins 👍; every 👍 after %s, every board final after %s (GitHub time); "+
		"%d writes (%.1f per check-in); most in any minute %d (≤ 80), in any hour %d (≤ 500)",
		programSpeedup, replicas, thumbs, len(comments), scaled(lastThumb), scaled(lastBoard), len(writes),
		float64(len(writes))/float64(len(comments)), mostIn(writes, per), mostIn(writes, 60*per))
	if thumbs != len(comments) {
		t.Errorf("%d check-ins without their 👍", len(comments)-thumbs)
	}
	if mostIn(writes, per) > 80 || mostIn(writes, 60*per) > 500 {
		t.Error("GitHub's secondary limits exceeded")
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// mostIn is the largest number of ts in any window of length d.
func mostIn(ts []time.Time, d time.Duration) int {
	ts = append([]time.Time(nil), ts...)
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
