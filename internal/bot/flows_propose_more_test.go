package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
)

// offer is mentor-ann's offer in proposeWorld.
const offer = 8

// proposeTimes is n lines of cmd, one comment's worth of commands.
func proposeTimes(n int, cmd string) string {
	return strings.TrimSuffix(strings.Repeat(cmd+"\n", n), "\n")
}

// TestFlowProposeCohortAnyIssue: how a comment on an issue that is no
// cohort's (HandleAnyIssue) is taken, on proposeWorld's plain issue: only
// a created comment's /propose-cohort counts (an edit, or a hub's command,
// is ignored without an answer); several commands get one reply, and at
// most 10 of them are acted on (SPEC §5); a redelivery does nothing more,
// even when the waitlist changed since;
// a broken config gets its one comment; a flood is told once, then
// ignored. It compares the issues (a draft or not), the reactions on the
// last comment and the bot's comments on the plain issue (golden).
func TestFlowProposeCohortAnyIssue(t *testing.T) {
	draft := issue(planning+1, "New cohort: Reviewer SIG Apps (proposed)", "open", []string{"cohort/draft"}, nil)
	tests := []struct {
		name    string
		steps   func(w *bottest.World) int64 // the comment whose reactions are compared
		reacts  []string
		draft   bool
		replies int // the bot's comments on the plain issue
		// offerClosed: mentor-ann closed her offer (#8).
		offerClosed bool
	}{
		{name: "edited into a command", steps: func(w *bottest.World) int64 {
			c := w.Comment(bottest.Organizer, planning, "Shall we propose one?")
			w.EditComment(bottest.Organizer, c.ID, "/propose-cohort Reviewer SIG Apps")
			return c.ID
		}, reacts: []string{}},
		{name: "a hub command", steps: func(w *bottest.World) int64 {
			return w.Comment(bottest.Organizer, planning, "/close-cohort\n/checkin\nAccomplishments: a\nChallenges: b").ID
		}, reacts: []string{}},
		{name: "two proposals", steps: func(w *bottest.World) int64 {
			return w.Comment(bottest.Organizer, planning, "/propose-cohort Reviewer SIG Apps\n/propose-cohort Member").ID
		}, reacts: []string{"+1"}, draft: true, replies: 1},
		// /cohort-help answers anywhere the bot listens (SPEC §5).
		{name: "help by an organizer", steps: func(w *bottest.World) int64 {
			return w.Comment(bottest.Organizer, planning, "/cohort-help").ID
		}, reacts: []string{"+1"}, replies: 1},
		{name: "help by a passer-by", steps: func(w *bottest.World) int64 {
			return w.Comment("randy", planning, "/cohort-help").ID
		}, reacts: []string{"+1"}, replies: 1},
		// The 11th is named as ignored in the reply (SPEC §5).
		{name: "more than ten commands", steps: func(w *bottest.World) int64 {
			return w.Comment(bottest.Organizer, planning, proposeTimes(11, "/propose-cohort Subproject owner")).ID
		}, reacts: []string{"+1"}, replies: 1},
		{name: "redelivered", steps: func(w *bottest.World) int64 {
			c := w.Comment(bottest.Organizer, planning, "/propose-cohort Reviewer SIG Apps")
			w.Sim.CloseIssue("mentor-ann", w.Repo, offer, "completed") // the waitlist changed since
			w.Rewaitlist(offer, "closed")
			w.At(bottest.Start.Add(time.Hour))
			w.Redeliver(c.ID)
			w.Redeliver(c.ID)
			return c.ID
		}, reacts: []string{"+1"}, draft: true, offerClosed: true, replies: 1},
		{name: "broken config", steps: func(w *bottest.World) int64 {
			w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", "max_mentees: lots\n")
			return w.Comment(bottest.Organizer, planning, "/propose-cohort Reviewer SIG Apps").ID
		}, reacts: []string{}, replies: 1},
		{name: "flooded", steps: func(w *bottest.World) int64 {
			w.Env.Flood = kernel.NewFloodGuard(kernel.DefaultCommandsPerMinute, nil)
			for range 2 { // a stranger's budget: 20 a minute
				w.Comment(bottest.Organizer, planning, proposeTimes(10, "/propose-cohort Subproject owner"))
			}
			told := w.Comment(bottest.Organizer, planning, "/propose-cohort Reviewer SIG Apps")
			diff(w.T.(*testing.T), "reactions to the comment told to slow down", []string{"confused"}, w.Reactions(told.ID))
			return w.Comment(bottest.Organizer, planning, "/propose-cohort Reviewer SIG Apps").ID // told already: ignored
		}, reacts: []string{}, replies: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := proposeWorld(t)
			id := tc.steps(w)
			want := waitlisted()
			if tc.draft {
				want = append(want, draft)
			}
			if tc.offerClosed {
				want[offer-1].State, want[offer-1].Reason = "closed", "completed"
			}
			diff(t, "issues", want, w.Issues())
			diff(t, "reactions", tc.reacts, w.Reactions(id))
			replies := w.BotComments(planning)
			if len(replies) != tc.replies {
				t.Fatalf("replies %q, want %d", replies, tc.replies)
			}
			if tc.replies > 0 {
				w.Golden(goldenName("flows/propose", "any issue "+tc.name), replies[len(replies)-1], goldenUpdate())
			}
		})
	}
}
