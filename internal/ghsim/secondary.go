package ghsim

import (
	"net/http"
	"strconv"
	"time"
)

// GitHub's documented secondary limit on content creation, modelled when
// Options.SecondaryLimits is set: "In general, no more than 80
// content-generating requests per minute and no more than 500
// content-generating requests per hour are allowed."
// https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
//
// Past either, GitHub answers 403 with Retry-After and the secondary-limit
// message ("If you exceed a secondary rate limit, you will receive a 403 or
// 429 response and an error message that indicates that you exceeded a
// secondary rate limit. If the retry-after response header is present, you
// should not retry your request until after that many seconds has elapsed."
// https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
// The sim counts the installation-token writes (POST, PATCH, PUT, DELETE)
// per installation over sliding windows of the real clock, as GitHub does;
// refused requests do not count.
const (
	contentPerMinute = 80
	contentPerHour   = 500
)

// limitClock is the clock of the content limits: the real one, which the
// bot's pacing also reads; package tests replace it (limitNow).
func (s *Sim) limitClock() time.Time {
	if s.limitNow != nil {
		return s.limitNow()
	}
	return time.Now()
}

// secondaryDocs is the documentation_url GitHub gives with the refusal.
const secondaryDocs = "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"

// secondaryMessage is GitHub's message for a secondary limit, with the
// request id it names.
func secondaryMessage(requestID string) string {
	return "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
		"If you reach out to GitHub Support for help, please include the request ID " + requestID + "."
}

// contentLimited reports whether one more write of the installation would
// pass a limit, and for how long to wait; otherwise it counts the write.
// Runs with s.mu held.
func (s *Sim) contentLimited(c *ctx, now time.Time) (time.Duration, bool) {
	if !s.opts.SecondaryLimits || c.inst == 0 || !isWrite(c.r.Method) {
		return 0, false
	}
	if s.writes == nil {
		s.writes = map[int64][]time.Time{}
	}
	ts := s.writes[c.inst]
	for len(ts) > 0 && now.Sub(ts[0]) >= time.Hour {
		ts = ts[1:]
	}
	s.writes[c.inst] = ts
	if len(ts) >= contentPerHour {
		return ts[len(ts)-contentPerHour].Add(time.Hour).Sub(now), true
	}
	if len(ts) >= contentPerMinute {
		if oldest := ts[len(ts)-contentPerMinute]; now.Sub(oldest) < time.Minute {
			return oldest.Add(time.Minute).Sub(now), true
		}
	}
	s.writes[c.inst] = append(ts, now)
	return 0, false
}

// secondaryRefusal answers GitHub's 403 for a secondary limit, with a
// Retry-After of whole seconds (at least 1).
func (s *Sim) secondaryRefusal(c *ctx, wait time.Duration) (int, any) {
	secs := int((wait + time.Second - 1) / time.Second)
	c.header.Set("Retry-After", strconv.Itoa(max(secs, 1)))
	id := "SIM0:" + strconv.FormatInt(c.inst, 16) + ":" + strconv.FormatInt(s.reqSeq+1, 16)
	return http.StatusForbidden, obj{"message": secondaryMessage(id), "documentation_url": secondaryDocs, "status": "403"}
}
