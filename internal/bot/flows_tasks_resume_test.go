package bot_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// TestFlowTaskCommandResumed: a /pass or /reassign whose hand-over was
// recorded but whose review request GitHub failed (a 502) is finished by
// the delivery's next attempt. The next attempt must not judge the command
// again against the task it already changed: that would refuse /pass (mia
// no longer holds the task) or hand it on a second time.
func TestFlowTaskCommandResumed(t *testing.T) {
	for _, tc := range []struct {
		name, author, body string
		reviewers          []string
	}{
		{name: "pass", author: "mia", body: "/pass", reviewers: []string{"noah"}},
		{name: "reassign", author: "mentor-ann", body: "/reassign @olga", reviewers: []string{"olga"}},
		{name: "reassign without a mentee", author: "mentor-ann", body: "/reassign", reviewers: []string{"noah"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := bottest.NewWith(t, bottest.Options{HTTP: true}) // faults are injected in the sim's HTTP handler
			w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
			repo := w.TaskRepo()
			taskSetup(w, repo)
			in := w.Sim.InjectFaults(ghsim.Faults{Mode: ghsim.FaultServerError, Rate: 1, Max: 1,
				Only: func(method, path string) bool {
					return method == http.MethodPost && strings.HasSuffix(path, "/requested_reviewers")
				}})
			c, err := w.TryCommentIn(tc.author, repo, 1, tc.body)
			in.Stop()
			if err == nil || len(in.Hits()) != 1 {
				t.Fatalf("first attempt: error %v, %d faults; want the review request's 502", err, len(in.Hits()))
			}
			diff(t, "requested reviewers after the failed attempt", []string{}, append([]string{}, w.Sim.RequestedReviewers(repo, 1)...))
			diff(t, "reactions after the failed attempt", []string{}, w.Reactions(c.ID))

			w.Redeliver(c.ID)
			w.Redeliver(c.ID) // and once more: nothing changes
			diff(t, "requested reviewers", tc.reviewers, append([]string{}, w.Sim.RequestedReviewers(repo, 1)...))
			diff(t, "reactions", []string{"+1"}, w.Reactions(c.ID))
			got := w.BotCommentsIn(repo, 1)
			if len(got) != 1 || !strings.HasPrefix(got[0], "**Mentoring task for @"+tc.reviewers[0]+" ") {
				t.Errorf("bot comments on the task: want its one comment, naming @%s, got %q", tc.reviewers[0], got)
			}
		})
	}
}
