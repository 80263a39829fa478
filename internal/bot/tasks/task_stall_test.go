package tasks

import (
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/google/go-cmp/cmp"
)

func TestPickMenteeCap(t *testing.T) {
	roster := []store.Member{
		{Handle: "mia", Role: store.RoleMentee, Mentor: "ann", Status: store.StatusActive},
		{Handle: "noah", Role: store.RoleMentee, Mentor: "ann", Status: store.StatusActive},
		{Handle: "olga", Role: store.RoleMentee, Mentor: "ben", Status: store.StatusActive},
	}
	tests := []struct {
		name string
		load map[string]taskLoad
		max  int
		want string
	}{
		{name: "under the cap: the rule as before", load: map[string]taskLoad{"mia": {open: 1}}, max: 2, want: "noah"},
		{name: "a paired mentee at the cap is skipped", load: map[string]taskLoad{"mia": {open: 2}, "noah": {open: 3}}, max: 3, want: "mia"},
		{name: "paired all full: another mentee", load: map[string]taskLoad{"mia": {open: 3}, "noah": {open: 3}, "olga": {open: 2}}, max: 3, want: "olga"},
		{name: "all full: nobody", load: map[string]taskLoad{"mia": {open: 1}, "noah": {open: 1}, "olga": {open: 1}}, max: 1},
		{name: "no cap: paired first whatever the load", load: map[string]taskLoad{"mia": {open: 9}, "noah": {open: 10}}, want: "mia"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := pickMentee(pickInput{members: roster, mentor: "ann", load: tc.load, maxOpen: tc.max})
			if d := cmp.Diff(tc.want, got); d != "" || ok != (tc.want != "") {
				t.Errorf("pick (-want +got):\n%s (ok %v)", d, ok)
			}
		})
	}
}

func TestStallClock(t *testing.T) {
	at := time.Date(2027, 1, 12, 10, 0, 0, 0, time.UTC)
	days := func(n float64) time.Time { return at.Add(time.Duration(n * float64(kernel.Day))) }
	cfg := config.Tasks{RemindAfterDays: 7, ReleaseAfterDays: 14, MaxOpenPerMentee: 3}
	tests := []struct {
		name     string
		activity time.Time
		cfg      config.Tasks
		now      time.Time
		reminded bool
		step     int
		next     time.Time
	}{
		{name: "fresh", now: days(1), step: StallNone, next: days(7)},
		{name: "just before the reminder", now: days(7).Add(-time.Second), step: StallNone, next: days(7)},
		{name: "reminder due", now: days(7), step: StallRemind, next: days(14)},
		{name: "reminded, waiting", now: days(8), reminded: true, step: StallNone, next: days(14)},
		{name: "release due", now: days(14), reminded: true, step: stallRelease},
		{name: "release due without a reminder (downtime)", now: days(30), step: stallRelease},
		{name: "activity restarts the clock", activity: days(6), now: days(12), step: StallNone, next: days(13)},
		{name: "activity before the hand-out counts for nothing", activity: days(-3), now: days(7), step: StallRemind, next: days(14)},
		{name: "no reminder configured", cfg: config.Tasks{ReleaseAfterDays: 2}, now: days(1), step: StallNone, next: days(2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			if tc.cfg != (config.Tasks{}) {
				c = tc.cfg
			}
			k := StallOf(store.Task{AssignedAt: at, LastActivity: tc.activity}, c)
			if got := k.Step(tc.now, tc.reminded); got != tc.step {
				t.Errorf("step = %d, want %d", got, tc.step)
			}
			if got := k.Next(tc.now, tc.reminded || tc.step == StallRemind); !got.Equal(tc.next) {
				t.Errorf("next = %v, want %v", got, tc.next)
			}
		})
	}
}

func TestStallNotes(t *testing.T) {
	at := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	tk := store.Task{Mentee: "noah", Stalled: []string{StallNote{Mentee: "Mia", Days: 14, At: at}.String(), "garbage"}}
	if d := cmp.Diff([]StallNote{{Mentee: "mia", Days: 14, At: at}}, stallNotes(tk)); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
	if got := stallNote(tk, ""); got != "released after 14 days by @mia" {
		t.Errorf("hub note %q", got)
	}
	if rows := stalledRows(tk, "mia", time.UTC); len(rows) != 1 || rows[0].Note != "released after 14 days" || rows[0].Since != "2027-02-01" {
		t.Errorf("mia's rows %+v", rows)
	}
	if rows := stalledRows(tk, "noah", time.UTC); len(rows) != 0 {
		t.Errorf("the current mentee's board shows a stalled row: %+v", rows)
	}
}
