package cohort

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func mustCalendar(t *testing.T, start, end string, day time.Weekday, tz string) Calendar {
	t.Helper()
	s, e := mustDate(t, start), mustDate(t, end)
	c, err := NewCalendar(Spec{Start: s, End: e, CheckinDay: day, TimeZone: tz})
	if err != nil {
		t.Fatalf("NewCalendar: %v", err)
	}
	return c
}

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCalendarWeeks(t *testing.T) {
	tests := []struct {
		name        string
		start, end  string
		day         time.Weekday
		tz          string
		wantWeeks   int
		wantStarts  []string // WeekStart(1..n) in UTC
		wantLastEnd string
	}{{
		name: "New York spring forward, Monday start", start: "2027-03-01", end: "2027-03-28", day: time.Monday, tz: "America/New_York",
		wantWeeks:   4,
		wantStarts:  []string{"2027-03-01T05:00:00Z", "2027-03-08T05:00:00Z", "2027-03-15T04:00:00Z", "2027-03-22T04:00:00Z"},
		wantLastEnd: "2027-03-29T04:00:00Z",
	}, {
		name: "Berlin fall back, Wednesday start with Monday check-ins", start: "2027-10-20", end: "2027-11-16", day: time.Monday, tz: "Europe/Berlin",
		wantWeeks:   5,
		wantStarts:  []string{"2027-10-19T22:00:00Z", "2027-10-24T22:00:00Z", "2027-10-31T23:00:00Z", "2027-11-07T23:00:00Z", "2027-11-14T23:00:00Z"},
		wantLastEnd: "2027-11-16T23:00:00Z",
	}, {
		name: "Auckland autumn switch, Sunday check-ins", start: "2027-04-01", end: "2027-04-30", day: time.Sunday, tz: "Pacific/Auckland",
		wantWeeks:   5,
		wantStarts:  []string{"2027-03-31T11:00:00Z", "2027-04-03T11:00:00Z", "2027-04-10T12:00:00Z", "2027-04-17T12:00:00Z", "2027-04-24T12:00:00Z"},
		wantLastEnd: "2027-04-30T12:00:00Z",
	}, {
		name: "Havana skips midnight", start: "2027-03-01", end: "2027-03-28", day: time.Sunday, tz: "America/Havana",
		wantWeeks:   5,
		wantStarts:  []string{"2027-03-01T05:00:00Z", "2027-03-07T05:00:00Z", "2027-03-14T05:00:00Z", "2027-03-21T04:00:00Z", "2027-03-28T04:00:00Z"},
		wantLastEnd: "2027-03-29T04:00:00Z",
	}, {
		name: "one day", start: "2027-05-05", end: "2027-05-05", day: time.Monday, tz: "UTC",
		wantWeeks: 1, wantStarts: []string{"2027-05-05T00:00:00Z"}, wantLastEnd: "2027-05-06T00:00:00Z",
	}, {
		name: "ends the day before a check-in day", start: "2027-05-05", end: "2027-05-09", day: time.Monday, tz: "",
		wantWeeks: 1, wantStarts: []string{"2027-05-05T00:00:00Z"}, wantLastEnd: "2027-05-10T00:00:00Z",
	}, {
		name: "ends on a check-in day", start: "2027-05-05", end: "2027-05-10", day: time.Monday, tz: "UTC",
		wantWeeks: 2, wantStarts: []string{"2027-05-05T00:00:00Z", "2027-05-10T00:00:00Z"}, wantLastEnd: "2027-05-11T00:00:00Z",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCalendar(t, tc.start, tc.end, tc.day, tc.tz)
			var starts []string
			for n := 1; n <= c.Weeks(); n++ {
				starts = append(starts, c.WeekStart(n).UTC().Format(time.RFC3339))
				if n > 1 && !c.WeekEnd(n-1).Equal(c.WeekStart(n)) {
					t.Errorf("WeekEnd(%d) = %v, want WeekStart(%d) = %v", n-1, c.WeekEnd(n-1), n, c.WeekStart(n))
				}
				if s := c.WeekStart(n); DateOf(s.In(c.Loc)) != c.weekStartDate(n) || DateOf(s.Add(-1).In(c.Loc)) == c.weekStartDate(n) {
					t.Errorf("WeekStart(%d) = %v, not the first instant of %s", n, s, c.weekStartDate(n))
				}
			}
			if diff := cmp.Diff(tc.wantStarts, starts); diff != "" {
				t.Errorf("WeekStart mismatch (-want +got):\n%s", diff)
			}
			if got := c.WeekEnd(c.Weeks()).UTC().Format(time.RFC3339); got != tc.wantLastEnd {
				t.Errorf("last WeekEnd = %s, want %s", got, tc.wantLastEnd)
			}
			if !c.WeekStart(0).IsZero() || !c.WeekEnd(c.Weeks()+1).IsZero() {
				t.Errorf("WeekStart/WeekEnd outside the cohort should be the zero Time")
			}
		})
	}
}

func TestCalendarWeekOf(t *testing.T) {
	ny := mustCalendar(t, "2027-03-01", "2027-03-28", time.Monday, "America/New_York")
	berlin := mustCalendar(t, "2027-10-20", "2027-11-16", time.Monday, "Europe/Berlin")
	tests := []struct {
		name     string
		cal      Calendar
		at       string
		wantWeek int
		wantOK   bool
	}{
		{name: "before start", cal: ny, at: "2027-03-01T04:59:59Z"},
		{name: "first instant", cal: ny, at: "2027-03-01T05:00:00Z", wantWeek: 1, wantOK: true},
		{name: "last instant of week 2 after spring forward", cal: ny, at: "2027-03-15T03:59:59Z", wantWeek: 2, wantOK: true},
		{name: "first instant of week 3", cal: ny, at: "2027-03-15T04:00:00Z", wantWeek: 3, wantOK: true},
		{name: "last instant", cal: ny, at: "2027-03-29T03:59:59Z", wantWeek: 4, wantOK: true},
		{name: "after end", cal: ny, at: "2027-03-29T04:00:00Z"},
		{name: "short week 1 Sunday night", cal: berlin, at: "2027-10-24T21:59:59Z", wantWeek: 1, wantOK: true},
		{name: "repeated hour of fall back", cal: berlin, at: "2027-10-31T00:30:00Z", wantWeek: 2, wantOK: true},
		{name: "last hour of the 169-hour week", cal: berlin, at: "2027-10-31T22:59:59Z", wantWeek: 2, wantOK: true},
		{name: "short last week", cal: berlin, at: "2027-11-16T12:00:00Z", wantWeek: 5, wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := utc(tc.at)
			w, ok := tc.cal.WeekOf(at)
			if diff := cmp.Diff([]any{tc.wantWeek, tc.wantOK}, []any{w, ok}); diff != "" {
				t.Errorf("WeekOf(%s) mismatch (-want +got):\n%s", tc.at, diff)
			}
			if ok && (at.Before(tc.cal.WeekStart(w)) || !at.Before(tc.cal.WeekEnd(w))) {
				t.Errorf("WeekOf(%s) = %d, but week %d is [%v, %v)", tc.at, w, w, tc.cal.WeekStart(w), tc.cal.WeekEnd(w))
			}
		})
	}
}

func TestCalendarBoundaries(t *testing.T) {
	c := mustCalendar(t, "2027-03-01", "2027-03-28", time.Monday, "America/New_York")
	tests := []struct {
		name     string
		from, to time.Time
		want     []int
	}{
		{name: "whole cohort", from: utc("2027-02-01T00:00:00Z"), to: utc("2027-04-01T00:00:00Z"), want: []int{1, 2, 3, 4}},
		{name: "ten minutes with no boundary", from: utc("2027-03-10T00:00:00Z"), to: utc("2027-03-10T00:10:00Z")},
		{name: "boundary at to is included", from: utc("2027-03-15T03:50:00Z"), to: c.WeekEnd(2), want: []int{2}},
		{name: "boundary at from is excluded", from: c.WeekEnd(2), to: utc("2027-03-15T04:10:00Z")},
		{name: "downtime over two boundaries", from: utc("2027-03-10T00:00:00Z"), to: utc("2027-03-25T00:00:00Z"), want: []int{2, 3}},
		{name: "end of cohort", from: utc("2027-03-28T12:00:00Z"), to: utc("2027-03-29T12:00:00Z"), want: []int{4}},
		{name: "after the end", from: utc("2027-03-29T04:00:00Z"), to: utc("2027-05-01T00:00:00Z")},
		{name: "before the start", from: utc("2027-01-01T00:00:00Z"), to: utc("2027-03-01T05:00:00Z")},
		{name: "backwards", from: utc("2027-03-25T00:00:00Z"), to: utc("2027-03-10T00:00:00Z")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, c.Boundaries(tc.from, tc.to)); diff != "" {
				t.Errorf("Boundaries mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewCalendarErrors(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
	}{
		{name: "bad zone", spec: Spec{Start: Date{2027, 1, 1}, End: Date{2027, 2, 1}, TimeZone: "Nowhere/Else"}},
		{name: "end before start", spec: Spec{Start: Date{2027, 2, 1}, End: Date{2027, 1, 1}}},
		{name: "no dates", spec: Spec{}},
		{name: "bad weekday", spec: Spec{Start: Date{2027, 1, 1}, End: Date{2027, 2, 1}, CheckinDay: 9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewCalendar(tc.spec); err == nil {
				t.Errorf("NewCalendar(%+v) = nil error, want one", tc.spec)
			}
		})
	}
}
