package server

import (
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/prometheus/client_golang/prometheus"
)

// newFloodGuard builds the per-user command budget (kernel.FloodGuard) and
// registers the counter of the commands it drops: the bot package has no
// metrics of its own, so the guard reports through a callback.
func (m *Metrics) newFloodGuard() *kernel.FloodGuard {
	dropped := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cohortbot_commands_dropped_total",
		Help: "Commands dropped because their author exceeded the per-user command budget of the installation.",
	})
	m.Registry.MustRegister(dropped)
	return kernel.NewFloodGuard(kernel.DefaultCommandsPerMinute, func(n int) { dropped.Add(float64(n)) })
}
