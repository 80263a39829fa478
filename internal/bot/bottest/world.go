// Package bottest runs the flows of internal/bot in process against a
// simulated GitHub: a fresh SQLite store, a settable clock, no queue (jobs
// are recorded and renders run when the test settles) and the production
// GitHub client served by the sim's handler on the test's goroutine
// (internal/ghsim/inproc). A flow test is then a table of cases, each a
// few milliseconds, checked with cmp.Diff on the sim's state.
//
// What a flow test does not cover, the end-to-end tests (internal/e2e) do:
// webhook signatures and payload decoding, the queue and its retries,
// pacing, crashes.
package bottest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"

	gogithub "github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/ghsim/inproc"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testclock"
)

// The world's fixed names, as in internal/e2e.
const (
	Installation = 4242
	Owner        = "kubernetes"
	Repo         = Owner + "/community"
	Organizer    = "olivia"
)

// Start is the clock's first instant (a Wednesday before the test cohort
// starts, as in internal/e2e).
var Start = time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC)

// People are the users of the test cohort (GitHub refuses to assign
// unknown users); each has read access to Repo, the Organizer write.
var People = []string{"mentor-ann", "mentor-ben", "mentor-cy", "mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}

// World is one flow test's simulated GitHub, store and clock.
type World struct {
	T      testing.TB
	Ctx    context.Context
	Sim    *ghsim.Sim
	Clock  *testclock.Clock
	Store  *store.Store
	Jobs   *Jobs
	Env    *kernel.Env
	GitHub GitHub              // what the flows call
	Config kernel.ConfigSource // .github/cohortbot.yml read from the sim, every time
	// Repo is the world's mentoring repository: Repo for the first world
	// of a test binary, Repo-N for the next ones (bot comments and golden
	// files show it as Repo, see Plain).
	Repo string

	close func()
}

// New builds a world: a repository of its own on the shared simulated
// GitHub, a fresh copy of a migrated SQLite database, the clock at Start.
// Worlds do not run in parallel (the sim's clock is the live world's).
func New(t testing.TB) *World { return NewWith(t, Options{}) }

// Options choose how a world's flows reach the sim.
type Options struct {
	// HTTP makes the flows call the sim through the production client
	// (internal/gh over go-github) and the sim's HTTP handler, in process,
	// for every call; by default the calls every flow makes go straight
	// to the sim's state (inproc.Direct).
	HTTP bool
}

// GitHub is every GitHub operation of the flows (command.CommentGitHub is
// their union but for the ticks' and ladder's few extra).
type GitHub interface {
	command.CommentGitHub
}

// NewWith is New with options.
func NewWith(t testing.TB, o Options) *World {
	t.Helper()
	shared.once.Do(setup)
	if shared.err != nil {
		t.Fatalf("bottest: %v", shared.err)
	}
	repo, release := claim(t)
	shared.clock.Set(Start)
	sim := shared.sim
	addMentoringRepo(sim, repo)
	ctx := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).WithContext(context.Background())
	path := filepath.Join(dbDir(t), "cohortbot.db")
	if err := os.WriteFile(path, shared.db, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	var closeOnce sync.Once
	closeStore := func() { closeOnce.Do(st.Close) }
	t.Cleanup(closeStore)
	client, raw, err := github(sim, o)
	if err != nil {
		t.Fatal(err)
	}
	jobs := &Jobs{}
	return &World{
		T: t, Ctx: ctx, Sim: sim, Clock: shared.clock, Store: st, Jobs: jobs, Repo: repo,
		Env:    &kernel.Env{Store: st, Now: shared.clock.Now, Owner: "bottest", Jobs: jobs, WebURL: sim.URL()},
		GitHub: client,
		Config: kernel.AppConfig{Loader: kernel.NewConfigLoader(), Client: raw},
		close:  func() { closeStore(); release() },
	}
}

// addMentoringRepo adds repo to the sim's installation with the organizer
// a writer and the cohort's people readers.
func addMentoringRepo(sim *ghsim.Sim, repo string) {
	sim.AddRepo(Installation, repo, false)
	sim.SetPermission(repo, Organizer, "write")
	for _, u := range People {
		sim.SetPermission(repo, u, "read")
	}
}

// dbDir is a directory for the world's database, removed when the test
// ends: on /dev/shm where there is one, as a file system in memory spares
// the flows SQLite's waits on the disk (a third of a flow test's time
// here), otherwise in the test's temporary directory.
func dbDir(t testing.TB) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "bottest"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// Close ends the world before its test does (benchmarks make many worlds
// in one test); the test's end closes it otherwise.
func (w *World) Close() { w.close() }

func github(sim *ghsim.Sim, o Options) (GitHub, *gogithub.Client, error) {
	if o.HTTP {
		return inproc.Client(sim, Installation)
	}
	return inproc.NewDirect(sim, Installation)
}

// Settle runs the re-renders the flows asked for, as the render worker
// would once the coalescing window has passed, until none is pending.
func (w *World) Settle() {
	w.T.Helper()
	for i := 0; i < 10; i++ {
		rs := w.Jobs.takeRenders()
		if len(rs) == 0 {
			return
		}
		for _, r := range rs {
			if err := render.Render(w.Ctx, w.Env, w.GitHub, r); err != nil {
				w.T.Fatalf("render %+v: %v", r, err)
			}
		}
	}
	w.T.Fatal("renders still asked for after 10 rounds")
}
