package server

import (
	"math/rand/v2"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/gh"
)

// defaultClientTimeout bounds one GitHub request (Options.ClientTimeout).
const defaultClientTimeout = 30 * time.Second

func (s *Server) clientTimeout() time.Duration {
	if s.opts.ClientTimeout > 0 {
		return s.opts.ClientTimeout
	}
	return defaultClientTimeout
}

// newPacer builds the per-installation pacing of GitHub requests, counting
// every request it refuses or GitHub refused for rate reasons, and the
// refusals for good; the budgets are kept in the database.
func (s *Server) newPacer() *gh.Pacer {
	limited := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cohortbot_github_rate_limited_total",
		Help: "GitHub requests not sent or refused for rate reasons (secondary rate limit, primary rate limit, write pacing).",
	}, []string{"reason"})
	s.Metrics.Registry.MustRegister(limited)
	o := s.opts.Pacing
	if o.Writes == 0 {
		o.Writes = s.cfg.Limits.GitHubWritesPerMinute
	}
	o.OnLimited = func(_ int64, reason string) { limited.WithLabelValues(reason).Inc() }
	o.OnRefused = s.refusalCounter()
	if o.Budgets == nil {
		o.Budgets = s.Store // one budget per installation, shared by the replicas
	}
	s.Store.Refusal = gh.Refusal // a refused effect is recorded failed, not retried
	return gh.NewPacer(o)
}

// limited reports an error that means "wait for GitHub's budget".
func limited(err error) bool {
	_, ok := gh.RetryAt(err)
	return ok
}

// snoozeLimited reschedules a job refused for rate reasons to just after
// the limit ends (a little jitter spreads the jobs that waited together),
// without counting an attempt: waiting out a limit is not a failure.
func snoozeLimited(log zerolog.Logger, err error) error {
	until, _ := gh.RetryAt(err)
	d := max(time.Until(until), 0) + time.Duration(rand.IntN(250))*time.Millisecond
	log.Info().Err(err).Dur("snooze", d).Msg("GitHub rate limit; job snoozed until it ends")
	return river.JobSnooze(d)
}
