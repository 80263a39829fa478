package gh

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// upstream is a fake GitHub answering from a script and counting requests.
type upstream struct {
	mu       sync.Mutex
	answers  []func() *http.Response // one per request; the last repeats
	sent     []time.Time
	inFlight atomic.Int32
	peak     atomic.Int32
	hold     time.Duration
	// gate, when set, holds each request until it is closed.
	gate chan struct{}
	// entered is told of each request as it arrives (when set).
	entered chan struct{}
}

func (u *upstream) RoundTrip(r *http.Request) (*http.Response, error) {
	n := u.inFlight.Add(1)
	defer u.inFlight.Add(-1)
	for {
		p := u.peak.Load()
		if n <= p || u.peak.CompareAndSwap(p, n) {
			break
		}
	}
	time.Sleep(u.hold)
	if u.entered != nil {
		u.entered <- struct{}{}
	}
	if u.gate != nil {
		<-u.gate
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sent = append(u.sent, time.Now())
	a := u.answers[min(len(u.sent)-1, len(u.answers)-1)]
	return a(), nil
}

func (u *upstream) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.sent)
}

func answer(status int, body string, kv ...string) func() *http.Response {
	return func() *http.Response {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
	}
}

func ok(remaining int, reset time.Time) func() *http.Response {
	return answer(200, `{}`, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", strconv.Itoa(remaining),
		"X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
}

func send(t *testing.T, rt http.RoundTripper, method string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(method, "https://api.github.test/repos/o/r/issues", nil)
	return rt.RoundTrip(req)
}

func TestPacerTurnsLimitsIntoRateLimited(t *testing.T) {
	reset := time.Now().Add(3 * time.Second).Truncate(time.Second)
	tests := []struct {
		name       string
		answer     func() *http.Response
		wantReason string
		wantUntil  func(sent time.Time) time.Time
	}{
		{"secondary 403 with Retry-After", answer(403, `{"message":"You have exceeded a secondary rate limit."}`, "Retry-After", "2"),
			ReasonSecondary, func(s time.Time) time.Time { return s.Add(2 * time.Second) }},
		{"429 with Retry-After", answer(429, `{}`, "Retry-After", "1"),
			ReasonSecondary, func(s time.Time) time.Time { return s.Add(time.Second) }},
		{"primary limit", answer(403, `{"message":"API rate limit exceeded for installation ID 1."}`,
			"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10)),
			ReasonPrimary, func(time.Time) time.Time { return reset }},
		{"secondary without headers", answer(403, `{"message":"You have exceeded a secondary rate limit."}`),
			ReasonSecondary, func(s time.Time) time.Time { return s.Add(time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &upstream{answers: []func() *http.Response{tt.answer}}
			p := NewPacer(PacerOptions{})
			rt := p.Transport(9, u)
			before := time.Now()
			_, err := send(t, rt, "POST")
			var rl *RateLimited
			if !errors.As(err, &rl) || rl.Reason != tt.wantReason || rl.Installation != 9 {
				t.Fatalf("got %v, want RateLimited (%s) for installation 9", err, tt.wantReason)
			}
			if want := tt.wantUntil(before); rl.Until.Sub(want).Abs() > 100*time.Millisecond {
				t.Errorf("until %s, want %s", rl.Until, want)
			}
			// While the limit lasts nothing is sent, reads included.
			for _, m := range []string{"GET", "PATCH"} {
				if _, err := send(t, rt, m); !errors.As(err, &rl) {
					t.Errorf("%s during the limit: %v, want RateLimited", m, err)
				}
			}
			if n := u.count(); n != 1 {
				t.Errorf("%d requests sent, want only the first", n)
			}
			if at, ok := RetryAt(err); !ok || !at.Equal(rl.Until) {
				t.Errorf("RetryAt = %s, %v", at, ok)
			}
		})
	}
}

func TestPacerPassesOtherAnswers(t *testing.T) {
	tests := []struct {
		name   string
		answer func() *http.Response
		status int
	}{
		{"permission 403", answer(403, `{"message":"Resource not accessible by integration"}`), 403},
		{"502", answer(502, `<html>bad gateway</html>`), 502},
		{"ok", ok(4000, time.Now().Add(time.Hour)), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &upstream{answers: []func() *http.Response{tt.answer}}
			rt := NewPacer(PacerOptions{}).Transport(1, u)
			for i := 0; i < 2; i++ {
				resp, err := send(t, rt, "POST")
				if err != nil || resp.StatusCode != tt.status {
					t.Fatalf("got %v, %v; want %d", resp, err, tt.status)
				}
				if b, _ := io.ReadAll(resp.Body); len(b) == 0 {
					t.Error("body not passed on")
				}
			}
		})
	}
}

func TestPacerPacesWrites(t *testing.T) {
	const writes, per = 10, 400 * time.Millisecond
	u := &upstream{answers: []func() *http.Response{ok(4000, time.Now().Add(time.Hour))}, hold: 15 * time.Millisecond}
	p := NewPacer(PacerOptions{Writes: writes, Per: per, ConcurrentWrites: 3, MaxWait: time.Minute})
	rt := p.Transport(1, u)
	var wg sync.WaitGroup
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := send(t, rt, "POST"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak := u.peak.Load(); peak > 3 {
		t.Errorf("%d writes in flight at once, want ≤ 3", peak)
	}
	u.mu.Lock()
	sent := append([]time.Time(nil), u.sent...)
	u.mu.Unlock()
	for i := range sent {
		n := 0
		for _, s := range sent[i:] {
			if s.Sub(sent[i]) < per {
				n++
			}
		}
		if n > writes {
			t.Fatalf("%d writes within %s of write %d, want ≤ %d", n, per, i, writes)
		}
	}
	// Reads are not paced: with the write budget spent (a write is
	// refused at once), reads still go.
	spent := NewPacer(PacerOptions{Writes: 2, Burst: 1, Per: time.Hour, MaxWait: -1})
	rt = spent.Transport(1, u)
	send(t, rt, "POST")
	if _, err := send(t, rt, "POST"); err == nil {
		t.Fatal("second write within the hour was sent")
	}
	before := u.count()
	for i := 0; i < 20; i++ {
		if _, err := send(t, rt, "GET"); err != nil {
			t.Fatal(err)
		}
	}
	if n := u.count() - before; n != 20 {
		t.Errorf("%d of 20 reads sent while writes wait", n)
	}
}

// TestPacerBusySlotsArePacing: a write that finds every concurrency slot
// taken until its job's deadline (or MaxWait) is paced — *RateLimited, and
// the job snoozes — not failed with the deadline (which would count as an
// attempt and back off ever longer).
func TestPacerBusySlotsArePacing(t *testing.T) {
	u := &upstream{answers: []func() *http.Response{ok(4000, time.Now().Add(time.Hour))},
		gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	p := NewPacer(PacerOptions{Writes: 80, Per: time.Minute, ConcurrentWrites: 1, MaxWait: time.Hour})
	rt := p.Transport(5, u)
	done := make(chan error, 1)
	go func() { _, err := send(t, rt, "POST"); done <- err }()
	<-u.entered // the only slot is now held
	for name, ctx := range map[string]func() (context.Context, context.CancelFunc){
		"deadline": func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 300*time.Millisecond)
		},
		"past deadline": func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Millisecond)
		},
	} {
		c, cancel := ctx()
		req, _ := http.NewRequestWithContext(c, "POST", "https://api.github.test/x", nil)
		_, err := rt.RoundTrip(req)
		cancel()
		var rl *RateLimited
		if !errors.As(err, &rl) || rl.Reason != ReasonPacing {
			t.Errorf("%s: got %v, want RateLimited (write pacing)", name, err)
		}
	}
	short := NewPacer(PacerOptions{Writes: 80, Per: time.Minute, ConcurrentWrites: 1, MaxWait: 20 * time.Millisecond})
	srt := short.Transport(6, u)
	go func() { _, err := send(t, srt, "POST"); done <- err }()
	<-u.entered
	var rl *RateLimited
	if _, err := send(t, srt, "POST"); !errors.As(err, &rl) {
		t.Errorf("no slot within MaxWait: got %v, want RateLimited", err)
	}
	close(u.gate)
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("held write: %v", err)
		}
	}
	if n := u.count(); n != 2 {
		t.Errorf("%d writes sent, want the 2 that held slots", n)
	}
}

func TestPacerRefusesLongWaits(t *testing.T) {
	u := &upstream{answers: []func() *http.Response{ok(4000, time.Now().Add(time.Hour))}}
	p := NewPacer(PacerOptions{Writes: 2, Burst: 1, Per: time.Minute, MaxWait: 100 * time.Millisecond})
	rt := p.Transport(3, u)
	if _, err := send(t, rt, "POST"); err != nil {
		t.Fatal(err)
	}
	_, err := send(t, rt, "POST")
	var rl *RateLimited
	if !errors.As(err, &rl) || rl.Reason != ReasonPacing || time.Until(rl.Until) < 30*time.Second {
		t.Fatalf("got %v, want RateLimited (pacing) about a minute away", err)
	}
	if n := u.count(); n != 1 {
		t.Errorf("%d sent, want 1", n)
	}
	// A deadline nearer than the wait refuses too.
	p2 := NewPacer(PacerOptions{Writes: 2, Burst: 1, Per: time.Second, MaxWait: time.Minute})
	rt2 := p2.Transport(3, u)
	send(t, rt2, "POST")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://api.github.test/x", nil)
	if _, err := rt2.RoundTrip(req); !errors.As(err, &rl) {
		t.Errorf("wait past the deadline: %v, want RateLimited", err)
	}
}

func TestPacerQuotaAndLow(t *testing.T) {
	reset := time.Now().Add(time.Hour).Truncate(time.Second)
	tests := []struct {
		name      string
		remaining int
		wantLow   bool
	}{
		{"plenty", 4000, false},
		{"below the reserve", 120, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &upstream{answers: []func() *http.Response{ok(tt.remaining, reset)}}
			p := NewPacer(PacerOptions{Reserve: 500})
			if _, low := p.Low(5); low {
				t.Error("unknown installation reported low")
			}
			send(t, p.Transport(5, u), "GET")
			q := p.Quota(5)
			if d := cmp.Diff(Quota{Known: true, Remaining: tt.remaining, Limit: 5000, Reset: reset, WriteTokens: 20, HourlyTokens: 100}, q); d != "" {
				t.Errorf("quota (-want +got):\n%s", d)
			}
			until, low := p.Low(5)
			if low != tt.wantLow || low && !until.Equal(reset) {
				t.Errorf("Low = %s, %v; want %v until the reset", until, low, tt.wantLow)
			}
			if _, low := p.Low(6); low {
				t.Error("another installation reported low")
			}
		})
	}
}

func TestPacerLowWhenWriteBucketNearlySpent(t *testing.T) {
	u := &upstream{answers: []func() *http.Response{ok(4000, time.Now().Add(time.Hour))}}
	p := NewPacer(PacerOptions{Writes: 8, Burst: 8, Per: time.Hour})
	rt := p.Transport(1, u)
	for i := 0; i < 7; i++ {
		send(t, rt, "POST")
	}
	if until, low := p.Low(1); !low || !until.After(time.Now()) {
		t.Errorf("Low = %s, %v after spending 7 of 8 tokens; want low", until, low)
	}
}

func TestRetryAtGoGitHubErrors(t *testing.T) {
	reset := time.Now().Add(time.Minute).Truncate(time.Second)
	ra := 3 * time.Second
	tests := []struct {
		name string
		err  error
		want time.Time
		ok   bool
	}{
		{"primary", &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: reset}}}, reset, true},
		{"secondary", &github.AbuseRateLimitError{RetryAfter: &ra}, time.Now().Add(ra), true},
		{"wrapped", errors.Join(errors.New("x"), &RateLimited{Until: reset}), reset, true},
		{"other", errors.New("boom"), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := RetryAt(tt.err)
			if ok != tt.ok || got.Sub(tt.want).Abs() > 100*time.Millisecond {
				t.Errorf("RetryAt = %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
