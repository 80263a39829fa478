package cohort

import (
	"fmt"
	"time"
)

// Calendar is the cohort's weeks (SPEC §3), in the cohort's time zone: week 1
// starts at 00:00 on the start date; every later week starts at 00:00 on the
// check-in day (so week 1 is short when the start date is another weekday);
// the last week ends at 24:00 on the end date and may be short too.
//
// Every instant is computed with time.Date in Loc from a calendar day, never
// by adding 24-hour durations, so weeks that contain a daylight-saving switch
// are 167 or 169 hours long and still begin at local midnight. Where a clock
// change skips midnight (Havana, Santiago, Beirut switch at 00:00), a week
// starts when its first day does, at 01:00.
//
// Calendar.Weeks can exceed Spec.Weeks (which rounds the cohort's length in
// days up to whole weeks): a 28-day cohort starting on a Wednesday with Monday
// check-ins has weeks Wed–Sun, three full weeks and a two-day last week.
type Calendar struct {
	Start, End Date
	Day        time.Weekday
	Loc        *time.Location
}

// NewCalendar builds the calendar of a validated Spec.
func NewCalendar(s Spec) (Calendar, error) {
	name := s.TimeZone
	if name == "" {
		name = "UTC"
	}
	loc, err := LoadTimeZone(name)
	if err != nil {
		return Calendar{}, err
	}
	if s.Start.IsZero() || s.End.IsZero() || s.End.Before(s.Start) {
		return Calendar{}, fmt.Errorf("cohort %q: start %q and end %q do not make a calendar", s.Slug, s.Start, s.End)
	}
	if s.CheckinDay < time.Sunday || s.CheckinDay > time.Saturday {
		return Calendar{}, fmt.Errorf("cohort %q: check-in day %d is not a weekday", s.Slug, s.CheckinDay)
	}
	return Calendar{Start: s.Start, End: s.End, Day: s.CheckinDay, Loc: loc}, nil
}

// midnight is the first instant of day d in Loc: 00:00, or, where a clock
// change skips midnight, the change itself (time.Date may otherwise move a
// missing 00:00 into the previous day). A day skipped whole (Apia,
// 2011-12-30) starts when the next one does.
func (c Calendar) midnight(d Date) time.Time {
	t := d.In(c.Loc)
	switch got := DateOf(t); {
	case got.Before(d):
		if _, end := t.ZoneBounds(); !end.IsZero() {
			t = end
		}
	case d.Before(got):
		if start, _ := t.ZoneBounds(); !start.IsZero() && DateOf(start.Add(-time.Nanosecond).In(c.Loc)).Before(d) {
			t = start
		}
	}
	return t
}

// dayNumber counts days since 1970-01-01 for date arithmetic free of zones.
func dayNumber(d Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// secondStart is the date week 2 starts: the first check-in day after Start.
func (c Calendar) secondStart() Date {
	wd := c.Start.In(time.UTC).Weekday()
	n := (int(c.Day) - int(wd) + 7) % 7
	if n == 0 {
		n = 7
	}
	return c.Start.AddDays(n)
}

// Weeks is the number of calendar weeks, at least 1.
func (c Calendar) Weeks() int {
	d2 := c.secondStart()
	if c.End.Before(d2) {
		return 1
	}
	return 2 + (dayNumber(c.End)-dayNumber(d2))/7
}

// weekStartDate is the first day of week n (1 ≤ n ≤ Weeks()).
func (c Calendar) weekStartDate(n int) Date {
	if n == 1 {
		return c.Start
	}
	return c.secondStart().AddDays(7 * (n - 2))
}

// WeekStart is the instant week n starts; the zero Time when n is not a week
// of the cohort.
func (c Calendar) WeekStart(n int) time.Time {
	if n < 1 || n > c.Weeks() {
		return time.Time{}
	}
	return c.midnight(c.weekStartDate(n))
}

// WeekEnd is the instant week n ends, exclusive: the next week's start, or
// 24:00 on the end date for the last week; the zero Time when n is not a week.
func (c Calendar) WeekEnd(n int) time.Time {
	switch w := c.Weeks(); {
	case n < 1 || n > w:
		return time.Time{}
	case n == w:
		return c.Finish()
	}
	return c.midnight(c.weekStartDate(n + 1))
}

// Begin is the instant the cohort starts (00:00 on the start date).
func (c Calendar) Begin() time.Time { return c.midnight(c.Start) }

// Finish is the instant the cohort ends, exclusive (24:00 on the end date).
func (c Calendar) Finish() time.Time { return c.midnight(c.End.AddDays(1)) }

// Before reports whether t is before the cohort starts.
func (c Calendar) Before(t time.Time) bool { return t.Before(c.Begin()) }

// After reports whether t is at or after the cohort's end.
func (c Calendar) After(t time.Time) bool { return !t.Before(c.Finish()) }

// WeekOf returns the week t falls in; ok is false before the start or at or
// after the end. A check-in counts for WeekOf(comment.CreatedAt).
func (c Calendar) WeekOf(t time.Time) (week int, ok bool) {
	if c.Before(t) || c.After(t) {
		return 0, false
	}
	d := DateOf(t.In(c.Loc))
	d2 := c.secondStart()
	if d.Before(d2) {
		return 1, true
	}
	return min(2+(dayNumber(d)-dayNumber(d2))/7, c.Weeks()), true
}

// Boundaries lists, in order, the weeks whose end lies in (from, to]: what a
// scheduler run at to must close when its previous run was at from. Several
// weeks after downtime; none when from ≥ to.
func (c Calendar) Boundaries(from, to time.Time) []int {
	if !from.Before(to) || c.After(from) || c.Before(to) {
		return nil
	}
	lo := 1
	if w, ok := c.WeekOf(from); ok {
		lo = w // week w ends after from; week w-1 ended at or before it
	}
	hi := c.Weeks()
	if w, ok := c.WeekOf(to); ok {
		hi = w - 1 // week w ends after to
	}
	var out []int
	for n := lo; n <= hi; n++ {
		out = append(out, n)
	}
	return out
}
