package bot_test

import (
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
)

// TestFlowCloseTopicsTicked: the topics the cohort ticked on the hub's
// checklist are counted in the final report (SPEC §6: "topics ticked on
// the hub's checklist"); a checkbox under Notes is not a topic.
func TestFlowCloseTopicsTicked(t *testing.T) {
	w := cohortWorld(t)
	hub := w.Sim.Issue(w.Repo, hubIssue).Body
	ticked := strings.NewReplacer("- [ ] Live code review", "- [x] Live code review",
		"- [ ] Reviewing docs", "- [X] Reviewing docs", "- [ ] bring snacks", "- [x] bring snacks").Replace(hub)
	if ticked == hub {
		t.Fatal("no topic to tick on the hub")
	}
	w.Sim.EditIssueBody(bottest.Organizer, w.Repo, hubIssue, ticked)
	w.At(week2)
	c := w.Comment(bottest.Organizer, hubIssue, "/close-cohort")
	diff(t, "reactions", []string{"+1"}, w.Reactions(c.ID))
	got := w.BotComments(hubIssue)
	w.Golden("flows/close/topics-ticked", got[len(got)-1], goldenUpdate())
}

// TestFlowCloseMidpointInterrupted: a midpoint comment whose posting was
// interrupted (its effect left pending) is looked for on the hub when the
// cohort closes: found, it is not folded into the final report a second
// time; not found, the report carries it (SPEC §6: "a midpoint comment
// that came due is folded into the report", once).
func TestFlowCloseMidpointInterrupted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		posted bool
	}{
		{name: "midpoint posted", posted: true},
		{name: "midpoint not posted", posted: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			c, _, _, err := w.Store.CohortByIssue(w.Ctx, w.Repo, hubIssue)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Store.PutEffect(w.Ctx, kernel.MidpointKey(c.ID), store.EffectPending, ""); err != nil {
				t.Fatal(err)
			}
			before, want := len(w.BotComments(hubIssue)), 1 // the final report
			if tc.posted {
				w.Sim.Comment(w.Sim.BotLogin(), w.Repo, hubIssue, "## Halfway there\n<!-- cohortbot:midpoint -->")
				want++
			}
			w.Tick(dayAfterEnd)
			got := w.BotComments(hubIssue)
			if len(got) != before+want {
				t.Fatalf("%d new bot comments on the hub, want %d: %q", len(got)-before, want, got[before:])
			}
			w.Golden(goldenName("flows/close", tc.name), got[len(got)-1], goldenUpdate())
		})
	}
}
