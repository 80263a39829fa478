package testclock

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClock(t *testing.T) {
	start := time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		move func(c *Clock)
		want time.Time
	}{
		{name: "stands still", move: func(*Clock) {}, want: start},
		{name: "set", move: func(c *Clock) { c.Set(start.AddDate(0, 0, 14)) }, want: start.AddDate(0, 0, 14)},
		{name: "add", move: func(c *Clock) { c.Add(6 * time.Minute) }, want: start.Add(6 * time.Minute)},
		{name: "set then add", move: func(c *Clock) { c.Set(start.Add(time.Hour)); c.Add(time.Hour) }, want: start.Add(2 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(start)
			tt.move(c)
			if diff := cmp.Diff(tt.want, c.Now()); diff != "" {
				t.Errorf("Now (-want +got):\n%s", diff)
			}
		})
	}
}

// TestClockConcurrent: the server's workers read the clock while the story
// moves it (run with -race).
func TestClockConcurrent(t *testing.T) {
	start := time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC)
	c := New(start)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() { defer wg.Done(); c.Add(time.Second) }()
		go func() { defer wg.Done(); _ = c.Now() }()
	}
	wg.Wait()
	if diff := cmp.Diff(start.Add(4*time.Second), c.Now()); diff != "" {
		t.Errorf("Now after 4 concurrent Adds (-want +got):\n%s", diff)
	}
}
