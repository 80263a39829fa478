package server

import (
	"net/http"
	"strconv"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/cohortbot/cohortbot/config"
)

// HTTP server limits (SPEC §8 "Exposed to the internet"): a client that
// sends slowly, or not at all, is cut off; headers are bounded (Go answers
// 431 past MaxHeaderBytes).
const (
	maxHeaderBytes    = 16 << 10
	readHeaderTimeout = 10 * time.Second
	// readTimeout covers the whole request, a 2 MiB body included: 30 s
	// is 70 KB/s, slower than any GitHub delivery.
	readTimeout  = 30 * time.Second
	writeTimeout = time.Minute
	idleTimeout  = 90 * time.Second
	// retryAfter is the Retry-After (seconds) of a 503 for a full body
	// budget.
	retryAfter = 5
)

// wellFormedSignature reports whether v is "sha256=" and 64 hex digits, the
// only signature cohortbot accepts: checking this before the body is read
// costs an anonymous client nothing it could use to grow the process.
func wellFormedSignature(v string) bool {
	const prefix = "sha256="
	if len(v) != len(prefix)+64 || v[:len(prefix)] != prefix {
		return false
	}
	for _, c := range []byte(v[len(prefix):]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// bodyBudget bounds the memory of the webhook bodies being read at once,
// whoever sends them: each request reserves what its body will cost
// (config.Limits.BodyReservation) before a byte is read, and one that does
// not fit is refused at once with 503 and Retry-After rather than queued,
// so waiting requests hold nothing either.
type bodyBudget struct {
	sem    *semaphore.Weighted
	limits config.Limits
}

func newBodyBudget(l config.Limits) *bodyBudget {
	return &bodyBudget{sem: semaphore.NewWeighted(l.BodyMemoryBytes), limits: l}
}

// reserve takes the budget for r's body; ok false means it is full.
func (b *bodyBudget) reserve(r *http.Request) (release func(), ok bool) {
	n := b.limits.BodyReservation(r.ContentLength)
	if !b.sem.TryAcquire(n) {
		return nil, false
	}
	return func() { b.sem.Release(n) }, true
}

// tooLarge answers 413 for a body over the cap.
func tooLarge(w http.ResponseWriter, limit int64) {
	http.Error(w, "payload larger than "+strconv.FormatInt(limit, 10)+" bytes", http.StatusRequestEntityTooLarge)
}

// busy answers 503 for a full body budget.
func busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	http.Error(w, "too many webhook bodies being read at once; retry later", http.StatusServiceUnavailable)
}
