package server

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's Prometheus series, on a registry of its own so
// several servers can run in one test process.
type Metrics struct {
	Registry   *prometheus.Registry
	Deliveries *prometheus.CounterVec
	Jobs       *prometheus.CounterVec
	GitHub     *prometheus.CounterVec
	Build      *prometheus.GaugeVec
}

// NewMetrics registers every series.
func NewMetrics(version string) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cohortbot_webhook_deliveries_total",
			Help: "Webhook deliveries by event (a name GitHub sends, else other) and outcome (stored, duplicate, ignored, invalid, unauthorized, busy, error).",
		}, []string{"event", "outcome"}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cohortbot_jobs_total",
			Help: "Finished job attempts by kind and outcome (job_completed, job_failed, job_cancelled, job_snoozed).",
		}, []string{"kind", "outcome"}),
		GitHub: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cohortbot_github_requests_total",
			Help: "GitHub API requests by method and response status (0: no response).",
		}, []string{"method", "status"}),
		Build: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cohortbot_build_info",
			Help: "Always 1; the version label says which build runs.",
		}, []string{"version"}),
	}
	m.Registry.MustRegister(m.Deliveries, m.Jobs, m.GitHub, m.Build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.Build.WithLabelValues(version).Set(1)
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// CountGitHub is client middleware counting every GitHub request by status.
func (m *Metrics) CountGitHub(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		status := "0"
		if resp != nil {
			status = strconv.Itoa(resp.StatusCode)
		}
		m.GitHub.WithLabelValues(r.Method, status).Inc()
		return resp, err
	})
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
