package gh

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
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
	// HourlyWrites per HourlyPer is GitHub's second secondary limit on
	// content-creating requests, 500 an hour; by default both scale with
	// Writes and Per (Writes×500/80 per 60×Per), so a test that speeds
	// pacing up keeps GitHub's proportions. HourlyBurst defaults to a fifth
	// of HourlyWrites; the same rule keeps any HourlyPer window within
	// HourlyWrites.
	HourlyWrites int
	HourlyPer    time.Duration
	HourlyBurst  int
	// Budgets keeps the buckets: *store.Store shares them through the
	// database, so that every replica draws from one budget per
	// installation (SPEC §8); nil keeps them in this process's memory.
	Budgets Budgets
	// ConcurrentWrites bounds the writes in flight per installation and
	// process (GitHub: no flood of concurrent requests); default 4.
	ConcurrentWrites int
	// MaxWait is the longest a write waits for a token inside the request;
	// a longer wait is returned as *RateLimited (the job is snoozed instead
	// of holding a worker). Default 2s; negative: never wait (tests that
	// drive the clock themselves).
	MaxWait time.Duration
	// Reserve is the remaining primary quota below which non-urgent work
	// yields (Low); default 500, a tenth of an installation's 5,000/hour.
	Reserve int
	// Now is the wall clock (infrastructure time, not the flows' clock).
	Now func() time.Time
	// OnLimited is told each time a request is refused or not sent, and why.
	OnLimited func(installation int64, reason string)
	// OnRefused is told each refusal GitHub gives for good (see Refusal).
	OnRefused func(installation int64, status int)
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
	if o.HourlyWrites <= 0 {
		o.HourlyWrites = max(o.Writes*500/80, 2)
	}
	if o.HourlyPer <= 0 {
		o.HourlyPer = 60 * o.Per
	}
	if o.HourlyBurst <= 0 || o.HourlyBurst > o.HourlyWrites {
		o.HourlyBurst = max(o.HourlyWrites/5, 1)
	}
	if o.ConcurrentWrites <= 0 {
		o.ConcurrentWrites = 4
	}
	if o.MaxWait == 0 {
		o.MaxWait = 2 * time.Second
	}
	if o.Reserve <= 0 {
		o.Reserve = 500
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Budgets == nil {
		o.Budgets = &memBudgets{m: map[int64]store.Budget{}}
	}
}

// limits turns the options into the budget's two buckets.
//
// Each bucket refills one write short of the limit (80 a minute: 20 at
// once, then 59 a minute): the budget counts writes when they are
// reserved, GitHub when they arrive, and the spare write absorbs the
// jitter in between (a second a minute, nine seconds an hour).
func (o *PacerOptions) limits() store.BudgetLimits {
	every := func(n, burst int, per time.Duration) time.Duration {
		return per / time.Duration(max(n-burst-1, 1))
	}
	return store.BudgetLimits{
		Short: store.Bucket{Burst: float64(o.Burst), Every: every(o.Writes, o.Burst, o.Per)},
		Long:  store.Bucket{Burst: float64(o.HourlyBurst), Every: every(o.HourlyWrites, o.HourlyBurst, o.HourlyPer)},
	}
}

// Pacer keeps each installation within GitHub's rate limits: it remembers
// the latest X-RateLimit-* headers, stops sending while a limit lasts
// (answering *RateLimited at once, without a request), and paces writes
// with two token buckets (per minute and per hour) kept in Budgets, and a
// cap on concurrent writes.
//
// With Budgets in the database the buckets and the pauses a secondary
// limit imposes are the installation's, whichever replica sends: a replica
// learns of a pause another one met at its next write (its reads may go on
// until then). The primary quota's headers and the concurrency cap stay
// per process.
type Pacer struct {
	o      PacerOptions
	limits store.BudgetLimits
	mu     sync.Mutex
	insts  map[int64]*install
}

// NewPacer returns a Pacer.
func NewPacer(o PacerOptions) *Pacer {
	o.defaults()
	return &Pacer{o: o, limits: o.limits(), insts: map[int64]*install{}}
}

// install is what this process knows of one installation.
type install struct {
	mu sync.Mutex
	// From the latest response's headers.
	known     bool
	remaining int
	limit     int
	reset     time.Time
	// pausedUntil: a rate limit is being waited out (this process's copy
	// of the shared pause).
	pausedUntil time.Time
	pauseReason string
	slots       chan struct{}
}

func (p *Pacer) install(id int64) *install {
	p.mu.Lock()
	defer p.mu.Unlock()
	in := p.insts[id]
	if in == nil {
		in = &install{slots: make(chan struct{}, p.o.ConcurrentWrites)}
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
	// WriteTokens and HourlyTokens are what the write buckets hold now.
	WriteTokens, HourlyTokens float64
}

// Quota returns the installation's budget as last seen.
func (p *Pacer) Quota(installation int64) Quota {
	now := p.o.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := p.o.Budgets.LoadBudget(ctx, installation, p.limits, now)
	if err != nil {
		b = store.FullBudget(p.limits, now) // the write itself will meet the database's error
	}
	in := p.install(installation)
	in.mu.Lock()
	defer in.mu.Unlock()
	p.notePause(in, b)
	return Quota{Known: in.known, Remaining: in.remaining, Limit: in.limit, Reset: in.reset,
		PausedUntil: in.pausedUntil, WriteTokens: b.Short, HourlyTokens: b.Long}
}

// notePause copies a pause found in the shared budget. Runs with in.mu held.
func (p *Pacer) notePause(in *install, b store.Budget) {
	if b.PausedUntil.After(in.pausedUntil) {
		in.pausedUntil, in.pauseReason = b.PausedUntil, b.PauseReason
	}
}

// Low reports whether non-urgent work (re-renders, reminders) for the
// installation should wait, and until when: while a rate limit lasts, while
// the primary quota is below Reserve (until it resets), and while either
// write bucket is down to its last quarter (kept for urgent effects: the
// 👍, labels and replies go first, SPEC §8).
func (p *Pacer) Low(installation int64) (time.Time, bool) {
	q, now := p.Quota(installation), p.o.Now()
	switch {
	case q.PausedUntil.After(now):
		return q.PausedUntil, true
	case q.Known && q.Remaining < p.o.Reserve && q.Reset.After(now):
		return q.Reset, true
	}
	wait := func(tokens float64, b store.Bucket) time.Duration {
		if floor := b.Burst / 4; tokens < floor {
			return time.Duration((floor - tokens) * float64(b.Every))
		}
		return 0
	}
	if w := max(wait(q.WriteTokens, p.limits.Short), wait(q.HourlyTokens, p.limits.Long)); w > 0 {
		return now.Add(w), true
	}
	return time.Time{}, false
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

// admitWrite takes a concurrency slot, then reserves a write in the
// installation's budget (waiting up to MaxWait for its turn); the returned
// func frees the slot. The slot comes first so that a write leaves as soon
// as its turn comes: reserved first, a write queued behind slow writes for
// a slot would leave late, in a clump with later ones, and GitHub would
// count more in a minute than the budget handed out.
//
// A write that gets no slot within MaxWait (or before the job's deadline)
// is paced like one that gets no token: *RateLimited, so that the job is
// snoozed and tried again instead of failing with the deadline and backing
// off (a burst on one installation is not an error).
func (p *Pacer) admitWrite(ctx context.Context, id int64, in *install) (func(), error) {
	select {
	case in.slots <- struct{}{}:
	default:
		if err := p.awaitSlot(ctx, id, in); err != nil {
			return nil, err
		}
	}
	release := func() { <-in.slots }
	if err := p.reserve(ctx, id, in); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// awaitSlot waits for a concurrency slot, up to MaxWait and short of the
// context's deadline.
func (p *Pacer) awaitSlot(ctx context.Context, id int64, in *install) error {
	now := p.o.Now()
	wait := p.o.MaxWait
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, dl.Sub(now)-deadlineMargin)
	}
	if wait <= 0 {
		return p.limited(&RateLimited{Installation: id, Until: now.Add(slotRetry), Reason: ReasonPacing})
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case in.slots <- struct{}{}:
		return nil
	case <-t.C:
		return p.limited(&RateLimited{Installation: id, Until: p.o.Now().Add(slotRetry), Reason: ReasonPacing})
	case <-ctx.Done():
		return ctx.Err()
	}
}

const (
	// deadlineMargin is kept between a paced wait's end and the job's
	// deadline, for the write itself.
	deadlineMargin = 250 * time.Millisecond
	// slotRetry is when a write that found every slot busy tries again.
	slotRetry = 500 * time.Millisecond
)

// reserve takes the write's token and waits for its turn.
func (p *Pacer) reserve(ctx context.Context, id int64, in *install) error {
	now := p.o.Now()
	maxWait := p.o.MaxWait
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(min(maxWait, dl.Sub(now)-deadlineMargin), 0)
	}
	b, at, granted, err := p.o.Budgets.ReserveWrite(ctx, id, p.limits, now, maxWait)
	if err != nil {
		return err
	}
	in.mu.Lock()
	p.notePause(in, b)
	in.mu.Unlock()
	if !granted {
		reason := ReasonPacing
		if b.PausedUntil.After(now) {
			reason = b.PauseReason
		}
		return p.limited(&RateLimited{Installation: id, Until: at, Reason: reason})
	}
	if wait := at.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
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
	if isSearch(r.URL.Path) {
		return t.next.RoundTrip(r) // its own limit, its own pacer (search.go)
	}
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
	return p.observe(r, t.id, in, resp)
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}
