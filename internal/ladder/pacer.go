package ladder

import (
	"sync"
	"time"
)

// SearchLimit is GitHub's search API limit for an installation: 30
// requests a minute (its own resource, "search", apart from the REST quota).
const (
	SearchLimit = 30
	SearchPer   = time.Minute
)

// Pacer keeps each installation's search requests within the search API's
// limit, on its own: it never touches the REST pacing (internal/gh), so a
// sweep that waits for search never delays a check-in or a command.
//
// It remembers the send times of the last Limit requests per installation
// (no window of length Per ever holds more than Limit, whatever GitHub's
// window boundaries), honours the X-RateLimit-Remaining and -Reset of the
// latest search answer (another process of the same installation may have
// searched too) and the Retry-After of a 403/429. Take never sleeps: it
// says when to try again, and the caller leaves the rest of the sweep
// pending until then.
type Pacer struct {
	limit int
	per   time.Duration
	now   func() time.Time
	mu    sync.Mutex
	insts map[int64]*window
}

type window struct {
	sent []time.Time // oldest first, at most limit
	// From the latest answer's headers.
	known     bool
	remaining int
	reset     time.Time
	// pausedUntil: a 403/429 (Retry-After) is being waited out.
	pausedUntil time.Time
}

// NewPacer returns a pacer of limit requests per per (zero: GitHub's 30 a
// minute) on the clock now (nil: time.Now).
func NewPacer(limit int, per time.Duration, now func() time.Time) *Pacer {
	if limit <= 0 {
		limit = SearchLimit
	}
	if per <= 0 {
		per = SearchPer
	}
	if now == nil {
		now = time.Now
	}
	return &Pacer{limit: limit, per: per, now: now, insts: map[int64]*window{}}
}

func (p *Pacer) window(id int64) *window {
	w := p.insts[id]
	if w == nil {
		w = &window{}
		p.insts[id] = w
	}
	return w
}

// Take reserves one search request for installation now. When none may go,
// it reserves nothing and returns the instant one may.
func (p *Pacer) Take(installation int64) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now, w := p.now(), p.window(installation)
	if w.pausedUntil.After(now) {
		return w.pausedUntil, false
	}
	if w.known && w.remaining <= 0 && w.reset.After(now) {
		return w.reset, false
	}
	if len(w.sent) == p.limit {
		if next := w.sent[0].Add(p.per); next.After(now) {
			return next, false
		}
		w.sent = w.sent[1:]
	}
	w.sent = append(w.sent, now)
	if w.known {
		w.remaining--
	}
	return now, true
}

// Observe records a search answer's X-RateLimit-Remaining and -Reset.
func (p *Pacer) Observe(installation int64, remaining int, reset time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.window(installation)
	w.known, w.remaining, w.reset = true, remaining, reset
}

// Pause stops the installation's searches until until (a 403/429's
// Retry-After, or the reset of an exhausted window). A pause never
// shortens one in force.
func (p *Pacer) Pause(installation int64, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w := p.window(installation); until.After(w.pausedUntil) {
		w.pausedUntil = until
	}
}

// Schedule is when n searches of one installation would go, starting at
// start with a fresh window, each sent the moment Take allows (the
// benchmark's figure for a sweep: the last element is how long it takes).
func Schedule(n, limit int, per time.Duration) []time.Duration {
	t := time.Unix(0, 0)
	p := NewPacer(limit, per, func() time.Time { return t })
	out := make([]time.Duration, 0, n)
	for len(out) < n {
		at, ok := p.Take(1)
		if !ok {
			t = at
			continue
		}
		out = append(out, at.Sub(time.Unix(0, 0)))
	}
	return out
}

// Count is what one search answered: total_count, and whether GitHub says
// the results are incomplete (a count that may be too low).
type Count struct {
	Total      int
	Incomplete bool
}

// Quota is the search quota an answer's X-RateLimit-* headers reported;
// for a refusal, RetryAfter is its Retry-After (0: wait until Reset).
type Quota struct {
	Known      bool
	Remaining  int
	Reset      time.Time
	RetryAfter time.Duration
}

// Until is when a refused search may be tried again, on the clock now.
func (q Quota) Until(now time.Time) time.Time {
	switch {
	case q.RetryAfter > 0:
		return now.Add(q.RetryAfter)
	case q.Reset.After(now):
		return q.Reset
	}
	return now.Add(SearchPer)
}
