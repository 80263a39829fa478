package gh

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/rs/zerolog"
)

// observe records the rate headers of resp and, for a rate-limit answer,
// pauses the installation (in the shared budget too, so every replica
// waits) and returns *RateLimited instead of resp. A refusal for good is
// counted (OnRefused) and passed on.
func (p *Pacer) observe(r *http.Request, id int64, in *install, resp *http.Response) (*http.Response, error) {
	now := p.o.Now()
	h := resp.Header
	in.mu.Lock()
	if rem, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil && h.Get("X-From-Cache") == "" {
		in.known, in.remaining = true, rem
		in.limit, _ = strconv.Atoi(h.Get("X-RateLimit-Limit"))
		if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			in.reset = time.Unix(s, 0)
		}
	}
	until, reason, ok := limitOf(resp, now, in)
	if !ok {
		in.mu.Unlock()
		p.countRefusal(r, id, resp)
		return resp, nil
	}
	resp.Body.Close()
	if until.After(in.pausedUntil) {
		in.pausedUntil, in.pauseReason = until, reason
	}
	in.mu.Unlock()
	if err := p.o.Budgets.PauseBudget(context.WithoutCancel(r.Context()), id, p.limits, now, until, reason); err != nil {
		zerolog.Ctx(r.Context()).Warn().Err(err).Msg("could not share the installation's pause; other replicas learn of it from GitHub")
	}
	return nil, p.limited(&RateLimited{Installation: id, Until: until, Reason: reason})
}

// countRefusal tells OnRefused of a refusal for good (Refusal's classes),
// peeking at a 422's error codes (the body is restored for the caller).
func (p *Pacer) countRefusal(r *http.Request, id int64, resp *http.Response) {
	if p.o.OnRefused == nil || resp.StatusCode < 400 || resp.StatusCode >= 500 {
		return
	}
	var codes []string
	if resp.StatusCode == http.StatusUnprocessableEntity {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		var er github.ErrorResponse
		if json.Unmarshal(b, &er) == nil {
			for _, e := range er.Errors {
				codes = append(codes, e.Code)
			}
		}
	}
	if permanent(r.Method, r.URL.Path, resp.StatusCode, codes) {
		p.o.OnRefused(id, resp.StatusCode)
	}
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
