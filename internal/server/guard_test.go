package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

func defaultLimits() config.Limits {
	var l config.Limits
	l.Defaults()
	return l
}

// countingBody is a request body that counts the bytes read from it.
type countingBody struct {
	r    io.Reader
	read *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (countingBody) Close() error { return nil }

func sign(secret string, body []byte, h func() hash.Hash) string {
	mac := hmac.New(h, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// TestHookGuard: what an anonymous client sends is refused before its body
// is read (or once the cap is reached), and a signature other than a
// well-formed SHA-256 one is never accepted (issue 12).
func TestHookGuard(t *testing.T) {
	const secret = "s3cret"
	st := openStore(t, testdb.SQLite(t))
	q, err := queue.New(st, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	limits := defaultLimits()
	h := hookHandler([]handlers.Handler{&picky{}}, secret, q, NewMetrics("test"), zerolog.Nop(), limits)
	good := []byte(`{"keep": true}`)
	huge := bytes.Repeat([]byte("x"), 24<<20)
	sha256Of := func(b []byte) string { return "sha256=" + sign(secret, b, sha256.New) }
	tests := []struct {
		name    string
		body    []byte
		chunked bool // no Content-Length
		headers map[string]string
		want    int
		maxRead int64
	}{
		{name: "signed", body: good, headers: map[string]string{"X-Hub-Signature-256": sha256Of(good)}, want: http.StatusAccepted, maxRead: int64(len(good))},
		{name: "no signature, 24 MB", body: huge, want: http.StatusUnauthorized},
		{name: "no signature, chunked 24 MB", body: huge, chunked: true, want: http.StatusUnauthorized},
		{name: "SHA-1 only, valid", body: good, headers: map[string]string{"X-Hub-Signature": "sha1=" + sign(secret, good, sha1.New)}, want: http.StatusUnauthorized},
		{name: "sha256 too short", body: good, headers: map[string]string{"X-Hub-Signature-256": sha256Of(good)[:70]}, want: http.StatusUnauthorized},
		{name: "not hex", body: good, headers: map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("z", 64)}, want: http.StatusUnauthorized},
		{name: "sha1 prefix", body: good, headers: map[string]string{"X-Hub-Signature-256": "sha1=" + strings.Repeat("a", 64)}, want: http.StatusUnauthorized},
		{name: "well-formed, wrong", body: good, headers: map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("a", 64)}, want: http.StatusUnauthorized, maxRead: int64(len(good))},
		{name: "well-formed, 24 MB declared", body: huge, headers: map[string]string{"X-Hub-Signature-256": sha256Of(good)}, want: http.StatusRequestEntityTooLarge},
		{name: "well-formed, 24 MB chunked", body: huge, chunked: true, headers: map[string]string{"X-Hub-Signature-256": sha256Of(good)},
			want: http.StatusRequestEntityTooLarge, maxRead: limits.MaxBodyBytes + 64<<10},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var read atomic.Int64
			r := httptest.NewRequest(http.MethodPost, "/api/github/hook", nil)
			r.Body = countingBody{bytes.NewReader(tt.body), &read}
			r.ContentLength = int64(len(tt.body))
			if tt.chunked {
				r.ContentLength = -1
			}
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-GitHub-Event", "issue_comment")
			r.Header.Set("X-GitHub-Delivery", "d"+string(rune('a'+i)))
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if d := cmp.Diff(tt.want, w.Code); d != "" {
				t.Errorf("status (-want +got):\n%s%s", d, w.Body.String())
			}
			if got := read.Load(); got > tt.maxRead {
				t.Errorf("read %d bytes of the body, want at most %d", got, tt.maxRead)
			}
		})
	}
}

// firstRead is a body that says when it is first read and then blocks
// until released: a slow client holding its reservation.
type firstRead struct {
	started chan struct{}
	once    sync.Once
	r       io.Reader
}

func (b *firstRead) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.started) })
	return b.r.Read(p)
}

func (*firstRead) Close() error { return nil }

// TestHookBodyBudget: while the bodies being read hold the whole budget, a
// further request is answered 503 with Retry-After at once (not queued),
// and once they are done the budget is back.
func TestHookBodyBudget(t *testing.T) {
	const secret = "s"
	st := openStore(t, testdb.SQLite(t))
	q, err := queue.New(st, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	limits := defaultLimits()
	limits.BodyMemoryBytes = limits.BodyReservation(-1) // one chunked body
	h := hookHandler([]handlers.Handler{&picky{}}, secret, q, NewMetrics("test"), zerolog.Nop(), limits)
	post := func(body io.ReadCloser, length int64) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/api/github/hook", nil)
		r.Body, r.ContentLength = body, length
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-GitHub-Event", "issue_comment")
		r.Header.Set("X-GitHub-Delivery", "x")
		r.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	pr, pw := io.Pipe()
	slow := &firstRead{started: make(chan struct{}), r: pr}
	done := make(chan int)
	go func() { done <- post(slow, -1).Code }()
	<-slow.started
	w := post(io.NopCloser(strings.NewReader(`{}`)), 2)
	got := []any{w.Code, w.Header().Get("Retry-After")}
	if d := cmp.Diff([]any{http.StatusServiceUnavailable, "5"}, got); d != "" {
		t.Errorf("while the budget is full (-want +got):\n%s", d)
	}
	pw.Write([]byte(`{}`))
	pw.Close()
	if code := <-done; code != http.StatusUnauthorized {
		t.Errorf("the slow request: %d, want 401 (wrong signature)", code)
	}
	if code := post(io.NopCloser(strings.NewReader(`{}`)), 2).Code; code != http.StatusUnauthorized {
		t.Errorf("after the slow request: %d, want 401 (budget back, wrong signature)", code)
	}
}
