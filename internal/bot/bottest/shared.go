package bottest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testclock"
)

// What worlds of one test binary share, because making it is slow: the
// simulated GitHub (its App key takes 100–300 ms to generate) and a
// migrated database (50 ms to migrate), copied for each world.
//
// Each world has its own repository of the shared sim, so worlds never see
// each other's issues, labels or comments; the sim's clock is the current
// world's (worlds do not run in parallel: New refuses a second live world).
var shared struct {
	once  sync.Once
	sim   *ghsim.Sim
	clock *testclock.Clock
	db    []byte
	err   error

	mu   sync.Mutex
	t    testing.TB // the live world's test, nil when none
	repo atomic.Int64
}

func setup() {
	shared.clock = testclock.New(Start)
	shared.sim = ghsim.New(ghsim.Options{OnUnknown: onUnknown, Now: func() time.Time { return shared.clock.Now() }})
	shared.sim.AddInstallation(Installation, Owner)
	shared.db, shared.err = migrated()
}

// onUnknown fails the live world's test on a call the sim does not know or
// that departs from GitHub's REST description.
func onUnknown(method, path string) {
	shared.mu.Lock()
	t := shared.t
	shared.mu.Unlock()
	if t != nil {
		t.Errorf("bot called an API the simulated GitHub does not know: %s %s", method, path)
	}
}

// migrated is a freshly migrated SQLite database file's bytes.
func migrated() ([]byte, error) {
	dir, err := os.MkdirTemp("", "bottest")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "migrated.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	tmpl := filepath.Join(dir, "template.db")
	if _, err := st.DB.ExecContext(ctx, "VACUUM INTO ?", tmpl); err != nil {
		return nil, fmt.Errorf("copy the migrated database: %w", err)
	}
	return os.ReadFile(tmpl)
}

// claim makes t the live world's test, or fails it when another world is
// live, and gives it the name of a repository of its own; release ends the
// claim (also done when the test ends).
func claim(t testing.TB) (repo string, release func()) {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.t != nil {
		t.Fatalf("bottest: %s starts a world while %s's is live; flow tests must not run in parallel", t.Name(), shared.t.Name())
	}
	shared.t = t
	var once sync.Once
	release = func() {
		once.Do(func() {
			shared.mu.Lock()
			shared.t = nil
			shared.mu.Unlock()
		})
	}
	t.Cleanup(release)
	repo = Repo
	if n := shared.repo.Add(1); n > 1 {
		repo = fmt.Sprintf("%s-%d", Repo, n)
	}
	return repo, release
}
