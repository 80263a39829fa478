// Package bench is cohortbot's performance benchmark (`cohortbot bench`): it
// runs the real `serve` against the simulated GitHub, drives it over
// loopback HTTP with signed, real-shaped webhook deliveries, and measures
// what SPEC §8 promises — acknowledgements within milliseconds, durable
// storage, few GitHub requests per check-in, an idle scheduler that costs
// nothing, a small footprint — against the budgets of issue 7.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"
)

// Options configure a run.
type Options struct {
	// Short is the smoke run: a few hundred deliveries, seconds. Its
	// figures prove the benchmark works, not that budgets are met.
	Short bool
	// Binary is a cohortbot executable started as `serve` in its own
	// process; "" runs the server inside this process (then the peak RSS
	// is this whole process's, simulated GitHub included).
	Binary string
	// CPUProfile, when set, is a path prefix: each phase writes its own
	// CPU profile, PREFIX-PHASE.pprof (meaningful in-process).
	CPUProfile string
	// Progress receives one line per phase; nil discards.
	Progress io.Writer
	// KeepDir keeps the temporary directory (database, server log).
	KeepDir bool
}

// scale is how much load each phase offers. The check-in phases replay one
// check-in per cohort, each cohort in an installation of its own, so that
// no installation comes near its hourly quota of 5,000 GitHub requests.
type scale struct {
	cohorts, idleSamples int
	burst                int // mentees per cohort, all checking in at once in the burst
	irrAtRate, irrMax    int // irrelevant: count at 2,000/s; cap of the sustained run
	ciAtRate, ciMax      int // check-ins: count at 300/s; cap of the sustained run
	maxTime              time.Duration
	conc                 int
	tickCohorts          int
	// writesPerMinute paces the server's GitHub writes (0: the service's
	// default, github.com's 80 a minute). The smoke run goes at the highest
	// rate allowed: it proves the benchmark works, and waiting out the
	// pacer on its few hundred writes was most of its time.
	writesPerMinute int
}

func scaleFor(short bool) scale {
	if short {
		return scale{cohorts: 3, idleSamples: 2, burst: 4, irrAtRate: 200, irrMax: 300, ciAtRate: 30, ciMax: 100,
			maxTime: 2 * time.Second, conc: 8, tickCohorts: 1000, writesPerMinute: 6000}
	}
	return scale{cohorts: 11, idleSamples: 10, burst: maxMentees, irrAtRate: 6000, irrMax: 60000, ciAtRate: 1500, ciMax: 4500,
		maxTime: 4 * time.Second, conc: 16, tickCohorts: 1000}
}

// Offered rates of the fixed-rate phases (issue 7).
const (
	irrelevantRate = 2000
	checkinRate    = 300
)

// run is one benchmark in progress.
type run struct {
	o   Options
	sc  scale
	w   *world
	t   *target
	s   *sender
	r   *Results
	dir string
	// sent are the check-in comments the server acknowledged, to verify
	// each got its 👍; replays are their deliveries, sent again by the
	// check-in phases (replayed of them).
	sent     []int64
	replays  []delivery
	replayed int
}

// Run runs the benchmark and returns its figures. An error means a figure
// could not be produced or the server lost or failed work; budgets missed
// are reported in the Results, not as an error.
func Run(ctx context.Context, o Options) (*Results, error) {
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	dir, err := os.MkdirTemp("", "cohortbot-bench-")
	if err != nil {
		return nil, err
	}
	if !o.KeepDir {
		defer os.RemoveAll(dir)
	}
	b := &run{o: o, sc: scaleFor(o.Short), dir: dir, r: newResults(o)}
	b.w = newWorld(b.sc.cohorts, b.sc.burst)
	defer b.w.sim.Close()
	b.t, err = startTarget(ctx, b.w.sim, dir, o.Binary, b.sc.writesPerMinute)
	if err != nil {
		return nil, err
	}
	defer b.t.close()
	b.s = newSender(b.t.url)
	defer b.s.close()
	if err := b.phases(ctx); err != nil {
		return b.r, fmt.Errorf("%w (server log: %s)", err, b.t.logPath)
	}
	return b.r, nil
}

// phases runs every measurement in order; the tick runs last, on its own
// database, after the server has stopped.
func (b *run) phases(ctx context.Context) error {
	steps := []struct {
		name, say string
		fn        func(context.Context) error
	}{
		{"setup", fmt.Sprintf("creating %d cohorts through the request flow", b.sc.cohorts), b.setup},
		{"idle", fmt.Sprintf("%d check-ins one at a time on an idle server", b.sc.idleSamples), b.idle},
		{"burst", fmt.Sprintf("a burst of %d check-ins in one cohort", b.sc.burst), b.burst},
		{"irrelevant", "irrelevant deliveries", b.irrelevant},
		{"checkins", "check-ins", b.checkins},
		{"verify", "verifying every stored delivery was processed", b.verify},
		{"stop", "peak RSS and graceful stop", b.stop},
		{"tick", fmt.Sprintf("one tick over %d idle cohorts", b.sc.tickCohorts), b.tick},
	}
	for _, s := range steps {
		fmt.Fprintf(b.o.Progress, "· %s…\n", s.say)
		start := time.Now()
		if err := b.profiled(s.name, func() error { return s.fn(ctx) }); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(b.o.Progress, "  done in %s%s\n", time.Since(start).Round(time.Millisecond), b.rssNote())
	}
	return nil
}

// rssNote is the server's peak RSS so far, while it runs.
func (b *run) rssNote() string {
	if b.t.db == nil {
		return ""
	}
	rss, err := b.t.peakRSS()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("; server peak RSS %.1f MB", float64(rss)/(1<<20))
}

// profiled runs fn under a CPU profile of its own when asked.
func (b *run) profiled(name string, fn func() error) error {
	if b.o.CPUProfile == "" {
		return fn()
	}
	f, err := os.Create(fmt.Sprintf("%s-%s.pprof", b.o.CPUProfile, name))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// setup files the cohort requests through the simulated GitHub's own
// deliveries, waits for the cohorts, then takes over sending. The server's
// first periodic tick (run on start) must be over first, and a tick of our
// own then schedules the new cohorts, so that no scheduled work falls due
// while the figures are measured (the next periodic tick is 10 min away).
func (b *run) setup(ctx context.Context) error {
	if err := b.t.waitFirstTick(ctx); err != nil {
		return err
	}
	b.w.sim.SetWebhook(b.t.url+"/api/github/hook", webhookSecret)
	b.w.openRequests(time.Now())
	if err := b.t.waitIdle(ctx, b.w.sim, 2*time.Minute); err != nil {
		return err
	}
	b.w.sim.SetWebhook("", "")
	b.r.setupDeliveries = len(b.w.sim.Deliveries())
	if err := b.w.discover(); err != nil {
		return err
	}
	if err := catchUp(ctx, b.w.sim, b.t.dbPath, time.Now()); err != nil {
		return err
	}
	return b.t.waitIdle(ctx, b.w.sim, time.Minute)
}

// stop reads the server's peak RSS, then stops it as an orchestrator does.
func (b *run) stop(context.Context) error {
	rss, err := b.t.peakRSS()
	if err != nil {
		return err
	}
	b.r.PeakRSS = rss
	return b.t.close()
}

// tick times one scheduler tick over many idle cohorts.
func (b *run) tick(ctx context.Context) error {
	res, err := runTick(ctx, b.w.sim, b.dir, b.sc.tickCohorts, time.Now())
	b.r.Tick = res
	if err == nil && res.due != 0 {
		err = fmt.Errorf("%d of the seeded cohorts were due; the tick measured work, not an idle tick", res.due)
	}
	return err
}
