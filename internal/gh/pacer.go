package gh

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PacerOptions tune a Pacer; zero values take the defaults.
type PacerOptions struct {
	// Writes content-creating requests (POST, PATCH, PUT, DELETE) at most
	// per Per and installation; default 80 per minute (GitHub's secondary
	// limit). Tests shorten Per.
	Writes int
	Per    time.Duration
	// Burst is how many writes may go at once after a quiet spell; default
	// Writes/4. The bucket refills at (Writes−Burst)/Per, so that no window
	// of length Per ever holds more than Writes.
	Burst int
	// ConcurrentWrites bounds the writes in flight per installation
	// (GitHub: no flood of concurrent requests); default 4.
	ConcurrentWrites int
	// MaxWait is the longest a write waits for a token inside the request;
	// a longer wait is returned as *RateLimited (the job is snoozed instead
	// of holding a worker). Default 2s.
	MaxWait time.Duration
	// Reserve is the remaining primary quota below which non-urgent work
	// yields (Low); default 500, a tenth of an installation's 5,000/hour.
	Reserve int
	// Now is the wall clock (infrastructure time, not the flows' clock).
	Now func() time.Time
	// OnLimited is told each time a request is refused or not sent, and why.
	OnLimited func(installation int64, reason string)
}

func (o *PacerOptions) defaults() {
	if o.Writes <= 0 {
		o.Writes = 80
	}
	if o.Per <= 0 {
		o.Per = time.Minute
	}
	if o.Burst <= 0 || o.Burst > o.Writes {
		o.Burst = max(o.Writes/4, 1)
	}
	if o.ConcurrentWrites <= 0 {
		o.ConcurrentWrites = 4
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 2 * time.Second
	}
	if o.Reserve <= 0 {
		o.Reserve = 500
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Pacer keeps each installation within GitHub's rate limits: it remembers
// the latest X-RateLimit-* headers, stops sending while a limit lasts
// (answering *RateLimited at once, without a request), and paces writes
// with a token bucket and a cap on concurrent writes.
//
// The state is in memory, per process: with several replicas each paces
// itself, so N replicas may together send N times the configured rate.
// Run one replica per installation's worth of traffic, or lower Writes.
type Pacer struct {
	o     PacerOptions
	mu    sync.Mutex
	insts map[int64]*install
}

// NewPacer returns a Pacer.
func NewPacer(o PacerOptions) *Pacer {
	o.defaults()
	return &Pacer{o: o, insts: map[int64]*install{}}
}

// install is one installation's budget.
type install struct {
	mu sync.Mutex
	// From the latest response's headers.
	known     bool
	remaining int
	limit     int
	reset     time.Time
	// pausedUntil: a rate limit is being waited out.
	pausedUntil time.Time
	pauseReason string
	// The write bucket.
	tokens float64
	last   time.Time
	slots  chan struct{}
}

func (p *Pacer) install(id int64) *install {
	p.mu.Lock()
	defer p.mu.Unlock()
	in := p.insts[id]
	if in == nil {
		in = &install{tokens: float64(p.o.Burst), last: p.o.Now(), slots: make(chan struct{}, p.o.ConcurrentWrites)}
		p.insts[id] = in
	}
	return in
}

// Quota is what the Pacer knows of an installation's budget.
type Quota struct {
	// Known: a response carried X-RateLimit-* headers.
	Known            bool
	Remaining, Limit int
	Reset            time.Time
	// PausedUntil is the end of the rate limit being waited out, if any.
	PausedUntil time.Time
	// WriteTokens is what the write bucket holds now.
	WriteTokens float64
}

// Quota returns the installation's budget as last seen.
func (p *Pacer) Quota(installation int64) Quota {
	in := p.install(installation)
	in.mu.Lock()
	defer in.mu.Unlock()
	now := p.o.Now()
	p.refill(in, now)
	return Quota{Known: in.known, Remaining: in.remaining, Limit: in.limit, Reset: in.reset,
		PausedUntil: in.pausedUntil, WriteTokens: in.tokens}
}

// Low reports whether non-urgent work (re-renders, reminders) for the
// installation should wait, and until when: while a rate limit lasts, while
// the primary quota is below Reserve (until it resets), and while the
// write bucket is down to its last quarter (kept for urgent effects).
func (p *Pacer) Low(installation int64) (time.Time, bool) {
	q, now := p.Quota(installation), p.o.Now()
	switch {
	case q.PausedUntil.After(now):
		return q.PausedUntil, true
	case q.Known && q.Remaining < p.o.Reserve && q.Reset.After(now):
		return q.Reset, true
	}
	floor := float64(p.o.Burst) / 4
	if q.WriteTokens < floor {
		return now.Add(time.Duration((floor - q.WriteTokens) / p.rate())), true
	}
	return time.Time{}, false
}

// rate is the bucket's refill in tokens per nanosecond.
func (p *Pacer) rate() float64 {
	return float64(max(p.o.Writes-p.o.Burst, 1)) / float64(p.o.Per)
}

// refill adds the tokens earned since the last look. Runs with in.mu held.
func (p *Pacer) refill(in *install, now time.Time) {
	if now.After(in.last) {
		in.tokens = min(in.tokens+float64(now.Sub(in.last))*p.rate(), float64(p.o.Burst))
		in.last = now
	}
}

// blocked is the limit in force, if any. Runs with in.mu held.
func (p *Pacer) blocked(id int64, in *install, now time.Time) *RateLimited {
	if in.pausedUntil.After(now) {
		return &RateLimited{Installation: id, Until: in.pausedUntil, Reason: in.pauseReason}
	}
	if in.known && in.remaining <= 0 && in.reset.After(now) {
		return &RateLimited{Installation: id, Until: in.reset, Reason: ReasonPrimary}
	}
	return nil
}

func (p *Pacer) limited(rl *RateLimited) *RateLimited {
	if p.o.OnLimited != nil {
		p.o.OnLimited(rl.Installation, rl.Reason)
	}
	return rl
}

// admitWrite takes a token (waiting up to MaxWait for it) and a concurrency
// slot; the returned func frees the slot.
func (p *Pacer) admitWrite(ctx context.Context, id int64, in *install) (func(), error) {
	in.mu.Lock()
	now := p.o.Now()
	p.refill(in, now)
	wait := time.Duration(0)
	if in.tokens < 1 {
		wait = time.Duration((1 - in.tokens) / p.rate())
	}
	if dl, ok := ctx.Deadline(); wait > p.o.MaxWait || ok && now.Add(wait).After(dl) {
		in.mu.Unlock()
		return nil, p.limited(&RateLimited{Installation: id, Until: now.Add(wait), Reason: ReasonPacing})
	}
	in.tokens-- // reserved: later writers wait behind this one
	in.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case in.slots <- struct{}{}:
		return func() { <-in.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Transport paces one installation's requests through next.
func (p *Pacer) Transport(installation int64, next http.RoundTripper) http.RoundTripper {
	return &pacedTransport{p: p, id: installation, next: next}
}

type pacedTransport struct {
	p    *Pacer
	id   int64
	next http.RoundTripper
}

// RoundTrip refuses at once while a limit lasts, paces writes, sends, and
// turns a rate-limit answer into *RateLimited (never sleeping it out).
func (t *pacedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	p, in := t.p, t.p.install(t.id)
	in.mu.Lock()
	rl := p.blocked(t.id, in, p.o.Now())
	in.mu.Unlock()
	if rl != nil {
		return nil, p.limited(rl)
	}
	if isWrite(r.Method) {
		release, err := p.admitWrite(r.Context(), t.id, in)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	return p.observe(t.id, in, resp)
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// observe records the rate headers of resp and, for a rate-limit answer,
// pauses the installation and returns *RateLimited instead of resp.
func (p *Pacer) observe(id int64, in *install, resp *http.Response) (*http.Response, error) {
	now := p.o.Now()
	h := resp.Header
	in.mu.Lock()
	defer in.mu.Unlock()
	if rem, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil && h.Get("X-From-Cache") == "" {
		in.known, in.remaining = true, rem
		in.limit, _ = strconv.Atoi(h.Get("X-RateLimit-Limit"))
		if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			in.reset = time.Unix(s, 0)
		}
	}
	until, reason, ok := limitOf(resp, now, in)
	if !ok {
		return resp, nil
	}
	resp.Body.Close()
	if until.After(in.pausedUntil) {
		in.pausedUntil, in.pauseReason = until, reason
	}
	return nil, p.limited(&RateLimited{Installation: id, Until: until, Reason: reason})
}

// limitOf tells a rate-limit answer apart, as GitHub documents it: a
// Retry-After header, or X-RateLimit-Remaining 0 with the reset time, or
// else (a secondary limit without headers) at least a minute.
func limitOf(resp *http.Response, now time.Time, in *install) (time.Time, string, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return time.Time{}, "", false
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		return now.Add(time.Duration(s) * time.Second), ReasonSecondary, true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" && in.reset.After(now) {
		return in.reset, ReasonPrimary, true
	}
	if resp.StatusCode == http.StatusTooManyRequests || mentionsRateLimit(resp) {
		return now.Add(time.Minute), ReasonSecondary, true
	}
	return time.Time{}, "", false
}

// mentionsRateLimit peeks at a 403's message (a plain 403 is a permission
// error, passed on as it is); the body is restored for the caller.
func mentionsRateLimit(resp *http.Response) bool {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return strings.Contains(strings.ToLower(string(b)), "rate limit")
}
