// Package testclock is the settable clock that the tests, the demo and the
// simulated GitHub share with the server, so a story can jump weeks ahead
// or past a session's lifetime without waiting. It is safe for concurrent
// use: the server's workers read it while the story moves it.
package testclock

import (
	"sync"
	"time"
)

// Clock is a settable time source; its Now is what the server and the
// simulated GitHub take as their clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
