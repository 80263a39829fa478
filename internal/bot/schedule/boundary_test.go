package schedule

import (
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/google/go-cmp/cmp"
)

// TestDueWeeks pins the one week loop the scheduler and the close share:
// the weeks whose end lies after the last settled week's end and at or
// before now, through Calendar.Boundaries. The calendar starts on a
// Wednesday (a short week 1) in Berlin; week 4 holds the spring clock change.
func TestDueWeeks(t *testing.T) {
	cal, err := cohort.NewCalendar(cohort.Spec{Slug: "t", TimeZone: "Europe/Berlin", CheckinDay: time.Monday,
		Start: cohort.Date{Year: 2027, Month: 3, Day: 3}, End: cohort.Date{Year: 2027, Month: 4, Day: 25}})
	if err != nil {
		t.Fatal(err)
	}
	if cal.Weeks() != 8 {
		t.Fatalf("calendar has %d weeks, want 8", cal.Weeks())
	}
	tests := []struct {
		name    string
		settled int
		now     time.Time
		want    []int
	}{
		{name: "before the start", now: cal.Begin().Add(-time.Hour)},
		{name: "inside week 1", now: cal.WeekEnd(1).Add(-time.Nanosecond)},
		{name: "the instant week 1 ends", now: cal.WeekEnd(1), want: []int{1}},
		{name: "week 1 already settled", settled: 1, now: cal.WeekEnd(1).Add(time.Hour)},
		{name: "across the clock change", settled: 3, now: cal.WeekEnd(5), want: []int{4, 5}},
		{name: "a gap to after the end", settled: 1, now: cal.Finish().Add(9 * time.Hour), want: []int{2, 3, 4, 5, 6, 7, 8}},
		{name: "never run, after the end", now: cal.Finish(), want: []int{1, 2, 3, 4, 5, 6, 7, 8}},
		{name: "everything settled", settled: 8, now: cal.Finish().Add(time.Hour)},
		{name: "settled beyond the calendar (shortened cohort)", settled: 12, now: cal.Finish().Add(time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, dueWeeks(cal, tc.settled, tc.now)); d != "" {
				t.Errorf("dueWeeks(settled %d, %s) (-want +got):\n%s", tc.settled, tc.now, d)
			}
		})
	}
}
