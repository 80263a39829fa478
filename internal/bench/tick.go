package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/server"
	"github.com/cohortbot/cohortbot/internal/store"
)

// tickResult is one scheduler tick over many active cohorts with nothing due.
type tickResult struct {
	cohorts int
	due     int
	wall    time.Duration
	calls   int
}

// runTick seeds n active cohorts whose next work is a day away into a fresh
// database of the real server (built, not serving), then times one tick
// and counts the GitHub requests it makes.
func runTick(ctx context.Context, sim *ghsim.Sim, dir string, n int, now time.Time) (tickResult, error) {
	cfg, err := simConfig(sim, "sqlite://"+filepath.Join(dir, "tick.db"), "127.0.0.1:0")
	if err != nil {
		return tickResult{}, err
	}
	srv, err := server.New(ctx, cfg, server.Options{Logger: zerolog.Nop(), NoWorkers: true, NoPeriodic: true})
	if err != nil {
		return tickResult{}, err
	}
	defer srv.Close(ctx)
	if err := seedCohorts(ctx, srv.Store, n, now); err != nil {
		return tickResult{}, err
	}
	sim.ResetRequests()
	start := time.Now()
	rep, err := srv.Deps.Tick(ctx, now)
	res := tickResult{cohorts: n, due: rep.Due, wall: time.Since(start), calls: len(sim.Requests())}
	if err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	return res, nil
}

// catchUp runs one scheduler tick on the server's database from this
// process (as `cohortbot tick` may while serve runs) and checks that it left
// no cohort due.
func catchUp(ctx context.Context, sim *ghsim.Sim, dbPath string, now time.Time) error {
	cfg, err := simConfig(sim, "sqlite://"+dbPath, "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv, err := server.New(ctx, cfg, server.Options{Logger: zerolog.Nop(), NoWorkers: true, NoPeriodic: true})
	if err != nil {
		return err
	}
	defer srv.Close(ctx)
	// The installations' write budgets are shared with the server through
	// the database: right after the set-up they are low, and a tick defers
	// its non-urgent work until they refill, as the periodic tick would.
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Second) {
		rep, err := srv.Deps.Tick(ctx, now)
		if err != nil {
			return fmt.Errorf("catch-up tick: %w", err)
		}
		ids, err := srv.Store.DueCohorts(ctx, now)
		if err == nil && len(ids) == 0 && rep.Busy == 0 {
			return nil
		}
		if err != nil || time.Now().After(deadline) {
			return fmt.Errorf("catch-up tick left %d cohorts due (%d busy): %v", len(ids), rep.Busy, err)
		}
	}
}

// seedCohorts writes n active cohorts with full rosters straight into the
// store, each with its next scheduled work a day after now: the state a
// long-running installation is in between week boundaries.
func seedCohorts(ctx context.Context, st *store.Store, n int, now time.Time) error {
	base := benchCohort{name: "Tick cohort"}
	for j := 0; j < maxMentees; j++ {
		base.mentees = append(base.mentees, mentee{handle: fmt.Sprintf("tick-m%02d", j+1)})
	}
	spec, problems, _ := cohort.Validate(cohort.ParseForm(base.requestBody(now)), cohort.DefaultRules(), now, nil)
	if len(problems) > 0 {
		return fmt.Errorf("seed cohort request is invalid: %v", problems[0].Message)
	}
	for k := 0; k < n; k++ {
		id := int64(9_000_000 + k)
		spec.Name, spec.Slug = fmt.Sprintf("Tick cohort %d", k+1), fmt.Sprintf("tick-cohort-%d", k+1)
		c := store.Cohort{ID: id, InstallationID: firstInstallation, Repo: fmt.Sprintf("tick-org/repo-%d", k), RequestNumber: 1,
			Spec: spec, CreatedAt: now}
		if _, _, err := st.CreateCohort(ctx, c); err != nil {
			return fmt.Errorf("seed cohort %d: %w", k, err)
		}
		if err := st.SetHubNumber(ctx, id, 2); err != nil {
			return err
		}
		if err := st.SetState(ctx, id, store.StateActive); err != nil {
			return err
		}
		if err := st.SetSchedule(ctx, id, 1, now.Add(24*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}
