package tasks

import (
	"testing"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/google/go-cmp/cmp"
)

func TestPickMentee(t *testing.T) {
	roster := []store.Member{
		{Handle: "ann", Role: store.RoleMentor, Status: store.StatusActive},
		{Handle: "Mia", Role: store.RoleMentee, Mentor: "ann", Status: store.StatusActive},
		{Handle: "noah", Role: store.RoleMentee, Mentor: "ann", Status: store.StatusActive},
		{Handle: "olga", Role: store.RoleMentee, Mentor: "ben", Status: store.StatusActive},
		{Handle: "pete", Role: store.RoleMentee, Status: store.StatusActive},
		{Handle: "quit", Role: store.RoleMentee, Status: store.StatusWithdrawn},
	}
	set := func(hs ...string) map[string]bool {
		m := map[string]bool{}
		for _, h := range hs {
			m[h] = true
		}
		return m
	}
	tests := []struct {
		name    string
		mentor  string
		exclude map[string]bool
		away    map[string]bool
		load    map[string]taskLoad
		want    string
	}{
		{name: "paired mentees first, roster order on a full tie", mentor: "ANN", want: "Mia"},
		{name: "fewest open tasks", mentor: "ann", load: map[string]taskLoad{"mia": {open: 1, last: 1}}, want: "noah"},
		{name: "ties to the least recently assigned", mentor: "ann",
			load: map[string]taskLoad{"mia": {open: 1, last: 5}, "noah": {open: 1, last: 2}}, want: "noah"},
		{name: "never assigned beats assigned long ago", mentor: "ann",
			load: map[string]taskLoad{"mia": {open: 0, last: 1}}, want: "noah"},
		{name: "the author or a reviewer is skipped", mentor: "ann", exclude: set("mia"), want: "noah"},
		{name: "away this week is skipped", mentor: "ann", away: set("mia"), want: "noah"},
		{name: "paired all unavailable: anyone", mentor: "ann", away: set("mia"), exclude: set("noah"), want: "olga"},
		{name: "a mentor without pairings: anyone, by load", mentor: "cy",
			load: map[string]taskLoad{"mia": {open: 1}, "noah": {open: 1}, "olga": {open: 1}}, want: "pete"},
		{name: "withdrawn never", mentor: "cy", exclude: set("mia", "noah", "olga", "pete")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := pickMentee(pickInput{members: roster, mentor: tc.mentor, exclude: tc.exclude, away: tc.away, load: tc.load})
			if d := cmp.Diff(tc.want, got); d != "" || ok != (tc.want != "") {
				t.Errorf("pick (-want +got):\n%s (ok %v)", d, ok)
			}
		})
	}
}
