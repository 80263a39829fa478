package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// weekAt is a moment inside week n of cohortWorld's cohort (as week1 is
// inside week 1).
func weekAt(n int) time.Time { return week1.Add(time.Duration(n-1) * 7 * 24 * time.Hour) }

// TestFlowWeeks runs /away (a mentee, SPEC §5) and /skip-week (an
// organizer) case by case on a fresh cohort: the reactions on the last
// command, and in a golden file (testdata/flows/weeks) the bot's reply if
// any and olga's row of the hub's board, where away and skipped weeks show.
// A refusal says why and changes nothing.
func TestFlowWeeks(t *testing.T) {
	away := func(body string, week int) func(*bottest.World) int64 {
		return func(w *bottest.World) int64 {
			w.At(weekAt(week))
			return w.Comment("olga", menteeIssue["olga"], body).ID
		}
	}
	skip := func(body string) func(*bottest.World) int64 {
		return func(w *bottest.World) int64 {
			w.At(week1)
			return w.Comment(bottest.Organizer, hubIssue, body).ID
		}
	}
	tests := []struct {
		name   string
		steps  func(w *bottest.World) int64
		reacts []string
	}{
		{name: "away this week", steps: away("/away", 1), reacts: []string{"+1"}},
		{name: "away two weeks", steps: away("/away 2", 3), reacts: []string{"+1"}},
		{name: "away too many weeks", steps: away("/away 3", 1), reacts: []string{"confused"}},
		{name: "away zero weeks", steps: away("/away 0", 1), reacts: []string{"confused"}},
		{name: "away with a word", steps: away("/away soon", 1), reacts: []string{"confused"}},
		{name: "away before the start", steps: func(w *bottest.World) int64 {
			w.At(time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC))
			return w.Comment("olga", menteeIssue["olga"], "/away").ID
		}, reacts: []string{"confused"}},
		// Two weeks away, then a third right after them: three in a row.
		{name: "away too long in a row", steps: func(w *bottest.World) int64 {
			away("/away 2", 1)(w)
			return away("/away", 3)(w)
		}, reacts: []string{"confused"}},
		{name: "away by a mentor", steps: func(w *bottest.World) int64 {
			w.At(week1)
			return w.Comment("mentor-ann", menteeIssue["olga"], "/away").ID
		}, reacts: []string{"confused"}},
		{name: "skip a week", steps: skip("/skip-week 5"), reacts: []string{"+1"}},
		{name: "skip without a week", steps: skip("/skip-week"), reacts: []string{"confused"}},
		{name: "skip a week past the end", steps: skip("/skip-week 11"), reacts: []string{"confused"}},
		{name: "skip a counted week", steps: func(w *bottest.World) int64 {
			w.Tick(weekAt(2)) // week 1's boundary: counted, olga missed it
			return w.Comment(bottest.Organizer, hubIssue, "/skip-week 1").ID
		}, reacts: []string{"confused"}},
		{name: "skip by a mentee", steps: func(w *bottest.World) int64 {
			w.At(week1)
			return w.Comment("olga", hubIssue, "/skip-week 5").ID
		}, reacts: []string{"confused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			id := tc.steps(w)
			diff(t, "reactions", tc.reacts, w.Reactions(id))
			c := w.Sim.CommentByID(id)
			var replies []string // the bot's replies to commands (the hub also gets week summaries)
			for _, b := range w.BotComments(c.Issue) {
				if strings.Contains(b, "<!-- cohortbot:reply ") {
					replies = append(replies, b)
				}
			}
			got := fmt.Sprintf("=== olga's board row\n%s\n", boardRow(w, "olga"))
			switch {
			case tc.reacts[0] == "confused" && len(replies) == 1:
				got += "=== reply\n" + replies[0] + "\n"
			case tc.reacts[0] == "confused" || len(replies) != 0:
				t.Fatalf("replies %q for reactions %q", replies, tc.reacts)
			}
			w.Golden(goldenName("flows/weeks", tc.name), got, goldenUpdate())
		})
	}
}
