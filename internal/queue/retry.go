package queue

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// retryPolicy retries a failed job after 1s, 2s, 4s, … doubling up to an
// hour, ±10% jitter. GitHub's 5xx, timeouts and dropped connections are
// mostly over in seconds, so the first retries come quickly (River's
// default, attempt⁴ seconds, waits 16s, then 81s, …); with 25 attempts the
// last retry still comes ~15 hours after the first failure, outlasting a
// long GitHub outage. Rate limits never get here: jobs snooze until the
// limit ends without counting an attempt. Nor do GitHub's refusals for good
// (422, 410, 404 on a deleted comment: gh.Refusal): the effect is recorded
// as failed and the job goes on, since no retry would change the answer.
type retryPolicy struct{}

// NextRetry implements river.ClientRetryPolicy.
func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	n := len(job.Errors) + 1 // failures so far, this one included (as River counts)
	d := time.Hour
	if n <= 12 {
		d = min(time.Second<<(n-1), time.Hour)
	}
	jitter := time.Duration((rand.Float64()*0.2 - 0.1) * float64(d))
	return time.Now().Add(d + jitter)
}
