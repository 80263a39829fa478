package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// githubLimits are about GitHub's secondary limits as buckets (the Pacer's
// defaults refill one write a window slower): 20 at once then 60 a minute;
// 100 at once then 400 an hour.
var githubLimits = store.BudgetLimits{
	Short: store.Bucket{Burst: 20, Every: time.Second},
	Long:  store.Bucket{Burst: 100, Every: 9 * time.Second},
}

func TestBudgetTake(t *testing.T) {
	t0 := time.Date(2027, 1, 11, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		b       store.Budget
		now     time.Time
		maxWait time.Duration
		want    store.Budget
		wantAt  time.Time
		granted bool
	}{
		{name: "a token now", b: store.Budget{Short: 3, Long: 50, Updated: t0}, now: t0,
			want: store.Budget{Short: 2, Long: 49, Updated: t0}, wantAt: t0, granted: true},
		{name: "refilled, never past the burst", b: store.Budget{Short: 0, Long: 99.5, Updated: t0}, now: t0.Add(time.Minute),
			want: store.Budget{Short: 19, Long: 99, Updated: t0.Add(time.Minute)}, wantAt: t0.Add(time.Minute), granted: true},
		{name: "the minute's bucket empty: wait within maxWait", b: store.Budget{Short: 0.5, Long: 50, Updated: t0}, now: t0, maxWait: time.Second,
			want: store.Budget{Short: -0.5, Long: 49, Updated: t0}, wantAt: t0.Add(500 * time.Millisecond), granted: true},
		{name: "the hour's bucket empty: refused with its time", b: store.Budget{Short: 20, Long: 0, Updated: t0}, now: t0, maxWait: 2 * time.Second,
			want: store.Budget{Short: 20, Long: 0, Updated: t0}, wantAt: t0.Add(9 * time.Second)},
		{name: "paused", b: store.Budget{Short: 20, Long: 100, Updated: t0, PausedUntil: t0.Add(time.Minute), PauseReason: "secondary"}, now: t0,
			want: store.Budget{Short: 20, Long: 100, Updated: t0, PausedUntil: t0.Add(time.Minute), PauseReason: "secondary"}, wantAt: t0.Add(time.Minute)},
		{name: "a clock behind the last writer's earns nothing", b: store.Budget{Short: 0, Long: 0, Updated: t0}, now: t0.Add(-time.Hour), maxWait: -1,
			want: store.Budget{Short: 0, Long: 0, Updated: t0}, wantAt: t0.Add(-time.Hour + 9*time.Second)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, at, ok := tc.b.Take(githubLimits, tc.now, tc.maxWait)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("budget (-want +got):\n%s", d)
			}
			if !at.Equal(tc.wantAt) || ok != tc.granted {
				t.Errorf("at %s, granted %v; want %s, %v", at, ok, tc.wantAt, tc.granted)
			}
		})
	}
}

// Writers on two connections to one database reserve from one budget: the
// burst is handed out once, whoever asks.
func TestReserveWriteIsShared(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		a, b := open(t, url), open(t, url)
		now := time.Date(2027, 1, 11, 8, 0, 0, 0, time.UTC)
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			granted int
		)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := []*store.Store{a, b}[i%2]
				_, _, ok, err := s.ReserveWrite(context.Background(), 7, githubLimits, now, -1)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					granted++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if granted != 20 {
			t.Errorf("%d writes granted at once, want the burst, 20", granted)
		}
		if err := a.PauseBudget(context.Background(), 7, githubLimits, now, now.Add(time.Minute), "secondary"); err != nil {
			t.Fatal(err)
		}
		got, err := b.LoadBudget(context.Background(), 7, githubLimits, now.Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		want := store.Budget{Short: 20, Long: 80 + 30.0/9, Updated: now.Add(30 * time.Second), PausedUntil: now.Add(time.Minute), PauseReason: "secondary"}
		if d := cmp.Diff(want, got, cmp.Comparer(func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 })); d != "" {
			t.Errorf("budget seen by the other connection (-want +got):\n%s", d)
		}
		if _, _, ok, err := b.ReserveWrite(context.Background(), 7, githubLimits, now.Add(30*time.Second), time.Minute); ok || err != nil {
			t.Errorf("a write during the pause: granted %v, %v", ok, errors.Unwrap(err))
		}
	})
}
