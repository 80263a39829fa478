package ghsim

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultMode is one way the simulated GitHub misbehaves.
type FaultMode int

// The fault modes. Only requests made with an installation token are hit
// (never the App's JWT calls such as creating installation tokens).
const (
	// FaultNone: the sim behaves.
	FaultNone FaultMode = iota
	// FaultServerError answers 502 or 500 (alternately) without doing the
	// request; with After it does the request first, so the write happened
	// but its answer is lost.
	FaultServerError
	// FaultSecondaryLimit answers 403 with Retry-After and GitHub's
	// secondary rate limit message, and keeps answering every request of
	// the installation so until Window has passed.
	FaultSecondaryLimit
	// FaultTooManyRequests is FaultSecondaryLimit answered with 429.
	FaultTooManyRequests
	// FaultPrimaryLimit exhausts the installation's hourly quota for Window:
	// 403 "API rate limit exceeded" with X-RateLimit-Remaining: 0 and
	// X-RateLimit-Reset at the window's end.
	FaultPrimaryLimit
	// FaultLowQuota answers normally for Window but reports only
	// LowRemaining requests left until the window's end.
	FaultLowQuota
	// FaultSlow answers after Delay (meant to be past the client's timeout).
	// The request is done before the delay, so a client that gave up does
	// not know its write happened.
	FaultSlow
	// FaultDrop closes the connection without an answer; with After the
	// request is done first.
	FaultDrop
)

var faultNames = map[FaultMode]string{
	FaultNone: "none", FaultServerError: "server-error", FaultSecondaryLimit: "secondary-limit",
	FaultTooManyRequests: "too-many-requests", FaultPrimaryLimit: "primary-limit",
	FaultLowQuota: "low-quota", FaultSlow: "slow", FaultDrop: "drop",
}

func (m FaultMode) String() string { return faultNames[m] }

// Faults configures fault injection.
type Faults struct {
	Mode FaultMode
	// Rate is the fraction of eligible requests hit, drawn from a generator
	// seeded with Seed (the same sequence of requests gets the same faults).
	Rate float64
	Seed uint64
	// WritesOnly makes only content-creating requests (POST, PATCH, PUT,
	// DELETE) eligible; GitHub's secondary limits are about those.
	WritesOnly bool
	// Only, when set, limits the eligible requests further (e.g. to one
	// route, for a test aimed at one call).
	Only func(method, path string) bool
	// After performs the request before failing (FaultServerError, FaultDrop).
	After bool
	// Max bounds the number of hits (windows, for the limit modes); 0 means
	// no bound.
	Max int
	// Window is how long a rate limit (or a low quota) lasts; default 1s.
	Window time.Duration
	// Delay is FaultSlow's answer delay; default 2s.
	Delay time.Duration
	// LowRemaining is FaultLowQuota's reported remaining quota; default 50.
	LowRemaining int
}

// FaultHit is one request the injector answered badly.
type FaultHit struct {
	Mode         FaultMode
	Method, Path string
	Installation int64
	Time         time.Time
	// Trigger marks the request that opened a rate-limit window; Until is
	// the window's end (limit modes only).
	Trigger bool
	Until   time.Time
}

// Injector is the fault injection installed by InjectFaults.
type Injector struct {
	s   *Sim
	f   Faults
	mu  sync.Mutex
	rng *rand.Rand
	// windows holds the end of the open rate-limit window per installation.
	windows map[int64]time.Time
	hits    []FaultHit
	count   int // hits that count against Max
}

// InjectFaults makes the sim misbehave as f says, from now on. It replaces
// any intercept hook (SetIntercept); Stop removes it.
func (s *Sim) InjectFaults(f Faults) *Injector {
	if f.Window <= 0 {
		f.Window = time.Second
	}
	if f.Delay <= 0 {
		f.Delay = 2 * time.Second
	}
	if f.LowRemaining <= 0 {
		f.LowRemaining = 50
	}
	in := &Injector{s: s, f: f, rng: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15)), windows: map[int64]time.Time{}}
	s.SetIntercept(in.intercept)
	return in
}

// Stop ends fault injection; open windows are forgotten.
func (in *Injector) Stop() { in.s.SetIntercept(nil) }

// Hits returns every request answered badly so far.
func (in *Injector) Hits() []FaultHit {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]FaultHit(nil), in.hits...)
}

// Windows returns the rate-limit windows opened so far (their triggers).
func (in *Injector) Windows() []FaultHit {
	var out []FaultHit
	for _, h := range in.Hits() {
		if h.Trigger {
			out = append(out, h)
		}
	}
	return out
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// decide says whether this request is hit and, for the limit modes, until
// when the installation's window lasts.
func (in *Injector) decide(r *http.Request, inst int64, now time.Time) (hit bool, h FaultHit) {
	in.mu.Lock()
	defer in.mu.Unlock()
	h = FaultHit{Mode: in.f.Mode, Method: r.Method, Path: r.URL.Path, Installation: inst, Time: now}
	if until, ok := in.windows[inst]; ok && now.Before(until) {
		h.Until = until
		in.hits = append(in.hits, h)
		return true, h
	}
	if in.f.WritesOnly && !isWrite(r.Method) || in.f.Only != nil && !in.f.Only(r.Method, r.URL.Path) ||
		in.f.Max > 0 && in.count >= in.f.Max {
		return false, h
	}
	if in.rng.Float64() >= in.f.Rate {
		return false, h
	}
	in.count++
	if in.limitMode() {
		// Limits are announced in whole seconds (Retry-After,
		// X-RateLimit-Reset), so the window ends on a second boundary.
		h.Until = time.Unix(int64(math.Ceil(float64(now.Add(in.f.Window).UnixNano())/1e9)), 0)
		h.Trigger = true
		in.windows[inst] = h.Until
	}
	in.hits = append(in.hits, h)
	return true, h
}

func (in *Injector) limitMode() bool {
	switch in.f.Mode {
	case FaultSecondaryLimit, FaultTooManyRequests, FaultPrimaryLimit, FaultLowQuota:
		return true
	}
	return false
}

// intercept is the sim hook: it answers the request badly when decide says
// so, and reports whether it answered.
func (in *Injector) intercept(w http.ResponseWriter, r *http.Request) bool {
	in.s.mu.Lock()
	inst := in.s.st.tokens[tokenFrom(r)].inst
	in.s.mu.Unlock()
	if inst == 0 || in.f.Mode == FaultNone {
		return false
	}
	now := time.Now()
	hit, h := in.decide(r, inst, now)
	if !hit {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	switch in.f.Mode {
	case FaultServerError:
		in.serverError(w, r, body)
	case FaultSecondaryLimit, FaultTooManyRequests:
		in.secondaryLimit(w, h, now)
	case FaultPrimaryLimit:
		in.primaryLimit(w, h)
	case FaultLowQuota:
		in.s.route(&quotaWriter{ResponseWriter: w, remaining: in.f.LowRemaining, reset: h.Until}, r, body)
	case FaultSlow:
		in.s.route(w, r, body)
		time.Sleep(in.f.Delay)
	case FaultDrop:
		in.drop(r, body, inst)
	}
	return true
}

func (in *Injector) serverError(w http.ResponseWriter, r *http.Request, body []byte) {
	if in.f.After {
		in.s.route(&bufWriter{header: http.Header{}}, r, body)
	}
	in.mu.Lock()
	status := http.StatusBadGateway
	if len(in.hits)%2 == 0 {
		status = http.StatusInternalServerError
	}
	in.mu.Unlock()
	if status == http.StatusBadGateway {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>\n")
		return
	}
	writeJSON(w, status, obj{"message": "Server Error", "documentation_url": docsURL, "status": "500"})
}

// secondaryLimit answers as GitHub does when a secondary rate limit is hit:
// 403 (or 429) with Retry-After and the secondary-limit message, as
// documented in
// https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
// (see secondary.go for the limits themselves).
func (in *Injector) secondaryLimit(w http.ResponseWriter, h FaultHit, now time.Time) {
	status := http.StatusForbidden
	if in.f.Mode == FaultTooManyRequests {
		status = http.StatusTooManyRequests
	}
	secs := int(math.Ceil(h.Until.Sub(now).Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	in.rateHeaders(w, rateLimit-1, h.Until.Add(time.Hour))
	writeJSON(w, status, obj{
		"message":           secondaryMessage("SIM0:0000:000000"),
		"documentation_url": secondaryDocs,
		"status":            strconv.Itoa(status),
	})
}

// primaryLimit answers as GitHub does when the hourly quota is used up.
func (in *Injector) primaryLimit(w http.ResponseWriter, h FaultHit) {
	in.rateHeaders(w, 0, h.Until)
	writeJSON(w, http.StatusForbidden, obj{
		"message":           "API rate limit exceeded for installation ID " + strconv.FormatInt(h.Installation, 10) + ".",
		"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit",
		"status":            "403",
	})
}

func (in *Injector) rateHeaders(w http.ResponseWriter, remaining int, reset time.Time) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(rateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(rateLimit-remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// drop records the request (ServeHTTP will not: the handler aborts) and
// closes the connection without an answer.
func (in *Injector) drop(r *http.Request, body []byte, inst int64) {
	status := 0
	if in.f.After {
		bw := &bufWriter{header: http.Header{}}
		in.s.route(bw, r, body)
		status = bw.status
	}
	in.s.mu.Lock()
	in.s.requests = append(in.s.requests, Request{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: bytes.Clone(body),
		Status: status, Installation: inst, Time: time.Now(),
	})
	in.s.mu.Unlock()
	panic(http.ErrAbortHandler)
}

// quotaWriter rewrites the rate-limit headers of a normal answer to report
// a low remaining quota.
type quotaWriter struct {
	http.ResponseWriter
	remaining int
	reset     time.Time
}

func (q *quotaWriter) WriteHeader(code int) {
	h := q.Header()
	h.Set("X-RateLimit-Remaining", strconv.Itoa(q.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(rateLimit-q.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(q.reset.Unix(), 10))
	q.ResponseWriter.WriteHeader(code)
}
