package bot_test

import "testing"

// TestFlowRosterRedelivered: a roster command delivered again (GitHub's
// "Redeliver", or a retry) after it was done changes nothing and writes
// nothing, even when the roster changed since (SPEC §5): an /add-mentee
// replayed after the mentee's removal does not bring them back.
func TestFlowRosterRedelivered(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []string // organizer commands on the hub; the first is redelivered after the others
	}{
		{name: "add a mentee removed since", steps: []string{"/add-mentee @randy", "/remove-mentee @randy"}},
		{name: "remove a mentee", steps: []string{"/remove-mentee @sam"}},
		{name: "remove a paired mentor", steps: []string{"/remove-mentor @mentor-ann", "/add-mentor @randy"}},
		{name: "extend", steps: []string{"/extend 2027-04-04", "/extend 2027-03-28"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.Sim.AddUser("randy")
			w.At(week2)
			if tc.name == "remove a paired mentor" {
				w.Sim.AddUser("uma")
				org("/add-mentor @uma")(w) // a fourth mentor, so that one may leave
			}
			first := org(tc.steps[0])(w)
			for _, s := range tc.steps[1:] {
				org(s)(w)
			}
			issues, writes := w.Issues(), w.Writes()
			comments := map[int][]string{}
			for _, is := range issues {
				comments[is.Number] = w.BotComments(is.Number)
			}
			w.Redeliver(first.ID)
			diff(t, "reactions", []string{"+1"}, w.Reactions(first.ID))
			diff(t, "issues", issues, w.Issues())
			for _, is := range issues {
				diff(t, "bot comments", comments[is.Number], w.BotComments(is.Number))
			}
			if n := w.Writes() - writes; n != 0 {
				t.Errorf("the redelivery made %d writes", n)
			}
		})
	}
}
