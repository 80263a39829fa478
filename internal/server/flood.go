package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cohortbot/cohortbot/internal/bot"
)

// newFloodGuard builds the per-user command budget (bot.FloodGuard) and
// registers the counter of the commands it drops: the bot package has no
// metrics of its own, so the guard reports through a callback.
func (m *Metrics) newFloodGuard() *bot.FloodGuard {
	dropped := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cohortbot_commands_dropped_total",
		Help: "Commands dropped because their author exceeded the per-user command budget of the installation.",
	})
	m.Registry.MustRegister(dropped)
	return bot.NewFloodGuard(bot.DefaultCommandsPerMinute, func(n int) { dropped.Add(float64(n)) })
}
