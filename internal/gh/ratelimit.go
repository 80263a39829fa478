package gh

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"
)

// Reasons a request is RateLimited.
const (
	// ReasonSecondary: GitHub answered 403 or 429 for a secondary rate limit.
	ReasonSecondary = "secondary rate limit"
	// ReasonPrimary: the installation's hourly quota is used up.
	ReasonPrimary = "primary rate limit"
	// ReasonPacing: this process's own pacing of writes (SPEC §8: at most
	// 80 content-creating requests a minute) has no token soon enough.
	ReasonPacing = "write pacing"
	// ReasonLowQuota: non-urgent work waits while the quota is low.
	ReasonLowQuota = "low quota"
)

// RateLimited is a GitHub request that was not made, or that GitHub refused,
// because the installation must wait until Until. Nothing was written. The
// caller does not sleep: the job is snoozed until Until and resumes there
// (its effects are idempotent), so no worker is held while waiting.
type RateLimited struct {
	Installation int64
	Until        time.Time
	Reason       string
}

func (e *RateLimited) Error() string {
	return fmt.Sprintf("installation %d: %s until %s", e.Installation, e.Reason, e.Until.Format(time.RFC3339))
}

// RetryAt reports when a request refused for rate reasons may be tried
// again. It knows *RateLimited and go-github's own rate errors (go-github
// refuses by itself while a limit it saw lasts).
func RetryAt(err error) (time.Time, bool) {
	var rl *RateLimited
	if errors.As(err, &rl) {
		return rl.Until, true
	}
	var pe *github.RateLimitError
	if errors.As(err, &pe) {
		return pe.Rate.Reset.Time, true
	}
	var se *github.AbuseRateLimitError
	if errors.As(err, &se) {
		d := time.Minute // GitHub: without Retry-After, wait at least a minute
		if se.RetryAfter != nil {
			d = *se.RetryAfter
		}
		return time.Now().Add(d), true
	}
	return time.Time{}, false
}

// IsForbidden reports a 403 from GitHub that is not a rate limit (those
// arrive as *RateLimited): the App lacks a permission.
func IsForbidden(err error) bool { return status(err) == http.StatusForbidden }
