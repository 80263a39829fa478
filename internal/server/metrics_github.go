package server

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// refusalCounter counts the requests GitHub refused for good (gh.Refusal:
// 422, 410, 404 on a deleted comment), by status: such an effect is
// recorded as failed and not retried (SPEC §8), so a rising count is the
// operator's only sign of it besides the log. The label takes the three
// statuses only.
func (s *Server) refusalCounter() func(installation int64, status int) {
	refusals := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cohortbot_github_refusals_total",
		Help: "GitHub requests refused for good (422 validation failed, 410 gone, 404 on a deleted comment); the effect is recorded as failed, not retried.",
	}, []string{"status"})
	s.Metrics.Registry.MustRegister(refusals)
	return func(_ int64, status int) { refusals.WithLabelValues(strconv.Itoa(status)).Inc() }
}
