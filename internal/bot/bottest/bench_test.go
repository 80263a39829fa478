package bottest_test

import (
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// BenchmarkFlows runs a cohort's creation, a check-in and a /graduate in a
// fresh world per iteration, with the flows reaching the sim directly and
// through the production client over the in-process transport.
func BenchmarkFlows(b *testing.B) {
	for _, c := range []struct {
		name string
		o    bottest.Options
	}{{"direct", bottest.Options{}}, {"transport", bottest.Options{HTTP: true}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				w := bottest.NewWith(b, c.o)
				w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
				w.At(bottest.Start.AddDate(0, 0, 6))
				w.Comment("mia", 3, "/checkin\nAccomplishments: a\nChallenges: b")
				w.Comment("mentor-ann", 2, "/graduate @noah")
				if len(w.Issue(3).Labels) != 4 || len(w.Issue(4).Labels) != 4 {
					b.Fatalf("labels %v %v", w.Issue(3).Labels, w.Issue(4).Labels)
				}
				w.Close()
			}
		})
	}
}
