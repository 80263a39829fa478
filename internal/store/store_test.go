package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

func open(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, in, dialect, dsn, err string
	}{
		{name: "relative sqlite", in: "sqlite://cohortbot.db", dialect: store.SQLite, dsn: "cohortbot.db"},
		{name: "absolute sqlite", in: "sqlite:///var/lib/cb.db", dialect: store.SQLite, dsn: "/var/lib/cb.db"},
		{name: "postgres", in: "postgres://u:p@h/db", dialect: store.Postgres, dsn: "postgres://u:p@h/db"},
		{name: "empty sqlite", in: "sqlite://", err: "names no file"},
		{name: "unknown scheme hides password", in: "mysql://u:secret@h/db", err: "sqlite:// or postgres://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, dsn, err := store.ParseURL(tc.in)
			if tc.err != "" {
				if err == nil || !contains(err.Error(), tc.err) || contains(err.Error(), "secret") {
					t.Fatalf("err = %v, want %q without the password", err, tc.err)
				}
				return
			}
			if d != tc.dialect || dsn != tc.dsn || err != nil {
				t.Errorf("got %q %q %v", d, dsn, err)
			}
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

func spec() cohort.Spec {
	return cohort.Spec{Name: "SIG Apps 2027", Slug: "sig-apps-2027", Step: "Reviewer", Mentors: []string{"Alice"},
		Mentees: []cohort.Mentee{{Handle: "Bob", Mentor: "Alice"}, {Handle: "carol"}},
		Start:   cohort.Date{Year: 2027, Month: 1, Day: 4}, End: cohort.Date{Year: 2027, Month: 2, Day: 28}, TimeZone: "UTC"}
}

func TestCohortLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		c := store.Cohort{ID: 99, InstallationID: 1, Repo: "org/mentoring", RequestNumber: 3, Spec: spec(), CreatedAt: time.Unix(1e9, 0)}
		got, inserted, err := s.CreateCohort(ctx, c)
		if err != nil || !inserted {
			t.Fatalf("first create: inserted=%v err=%v", inserted, err)
		}
		if _, again, err := s.CreateCohort(ctx, c); err != nil || again {
			t.Fatalf("second create must not insert: inserted=%v err=%v", again, err)
		}
		if got.State != store.StateCreating {
			t.Errorf("state = %s", got.State)
		}
		busy, err := s.BusyMentees(ctx, "org/mentoring", 0)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(map[string]string{"bob": "sig-apps-2027", "carol": "sig-apps-2027"}, busy); d != "" {
			t.Errorf("busy (-want +got):\n%s", d)
		}
		if busy, _ := s.BusyMentees(ctx, "org/mentoring", 99); len(busy) != 0 {
			t.Errorf("the cohort itself must be excepted: %v", busy)
		}
		if err := s.SetMenteeIssue(ctx, 99, "BOB", 12); err != nil {
			t.Fatal(err)
		}
		s.SetHubNumber(ctx, 99, 11)
		s.SetState(ctx, 99, store.StateCompleted)
		got, err = s.Cohort(ctx, 99)
		if err != nil {
			t.Fatal(err)
		}
		if got.HubNumber != 11 || got.Spec.Mentees[0].Issue != 12 || got.State != store.StateCompleted {
			t.Errorf("got %+v", got)
		}
		if busy, _ := s.BusyMentees(ctx, "org/mentoring", 0); len(busy) != 0 {
			t.Errorf("completed cohorts keep nobody busy: %v", busy)
		}
		if _, err := s.Cohort(ctx, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing cohort: %v", err)
		}
	})
}

func TestOnceRunsAnEffectOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		calls := 0
		do := func() (string, error) { calls++; return "42", nil }
		for i := 0; i < 3; i++ {
			v, err := s.Once(ctx, "k", nil, do)
			if err != nil || v != "42" {
				t.Fatalf("v=%q err=%v", v, err)
			}
		}
		if calls != 1 {
			t.Errorf("do called %d times", calls)
		}
		// An attempt that failed after starting is looked for before redoing.
		s.Once(ctx, "crash", nil, func() (string, error) { return "", errors.New("boom") })
		found := 0
		v, err := s.Once(ctx, "crash", func() (string, bool, error) { found++; return "7", true, nil }, do)
		if err != nil || v != "7" || found != 1 || calls != 1 {
			t.Errorf("v=%q err=%v found=%d calls=%d", v, err, found, calls)
		}
	})
}

func TestLockIsExclusiveAndExpires(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if err := s.Lock(ctx, "issue:1", "a", time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.Lock(ctx, "issue:1", "b", time.Minute); !errors.Is(err, store.ErrLocked) {
			t.Fatalf("second holder: %v", err)
		}
		s.Unlock(ctx, "issue:1", "a")
		if err := s.Lock(ctx, "issue:1", "b", time.Millisecond); err != nil {
			t.Fatalf("after unlock: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
		if err := s.Lock(ctx, "issue:1", "c", time.Minute); err != nil {
			t.Fatalf("expired lease not taken over: %v", err)
		}
	})
}

func TestConcurrentLockHasOneWinner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		s := open(t, url)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if s.Lock(context.Background(), "k", string(rune('a'+i)), time.Minute) == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}(i)
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d winners", wins)
		}
	})
}
