package server

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"
)

// maxLoggedHeader is how much of a header value from an unauthenticated
// request reaches a log line: a 900 KB header once became a 950 KB line
// (issue 12).
const maxLoggedHeader = 100

// clip cuts s to maxLoggedHeader bytes, saying how long it was.
func clip(s string) string {
	if len(s) <= maxLoggedHeader {
		return s
	}
	return s[:maxLoggedHeader] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}

// Refused requests are warned about at most refusalBurst at once and then
// one every refusalEvery: a misconfigured secret is still seen at once, and
// a stream of junk costs a line a second, not a line a request.
const (
	refusalEvery = time.Second
	refusalBurst = 5
)

// refusals logs warnings about refused webhook requests, rate-limited; the
// next line logged says how many were left out meanwhile (the metrics count
// every one).
type refusals struct {
	lim        *rate.Limiter
	suppressed atomic.Int64
}

func newRefusals() *refusals {
	return &refusals{lim: rate.NewLimiter(rate.Every(refusalEvery), refusalBurst)}
}

// warn logs msg about r at warning level unless the budget is spent.
func (f *refusals) warn(log *zerolog.Logger, r *http.Request, status int, err error, msg string) {
	if !f.lim.Allow() {
		f.suppressed.Add(1)
		return
	}
	ev := log.Warn().Int("status", status).
		Str("remote", clip(r.RemoteAddr)).
		Str("event_header", clip(r.Header.Get("X-GitHub-Event"))).
		Str("delivery_header", clip(r.Header.Get("X-GitHub-Delivery"))).
		Str("user_agent", clip(r.UserAgent()))
	if err != nil {
		ev = ev.Str("error", clip(err.Error()))
	}
	if n := f.suppressed.Swap(0); n > 0 {
		ev = ev.Int64("suppressed_since_last", n)
	}
	ev.Msg(msg)
}
