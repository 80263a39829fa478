package cohort

import (
	"fmt"
	"time"
)

// schedule checks the time zone, check-in day and dates. The end date is
// compared with today in the cohort's time zone (the rules' default zone when
// the form's is broken), so a cohort ending "today" in Auckland is accepted
// while it is still yesterday in UTC.
func (v *validator) schedule(now time.Time) {
	loc := v.timeZone()
	v.checkinDay()
	start, okStart := v.date(FieldStart)
	end, okEnd := v.date(FieldEnd)
	v.spec.Start, v.spec.End = start, end
	if okEnd {
		if today := DateOf(now.In(loc)); end.Before(today) {
			v.problem(FieldEnd, "Choose an end date from "+today.String()+" on.",
				"The end date %s is in the past (today is %s in %s).", end, today, loc)
		}
	}
	if !okStart || !okEnd {
		return
	}
	if !start.Before(end) {
		v.problem(FieldEnd, "Make the end date later than the start date "+start.String()+".",
			"The end date %s is not after the start date %s.", end, start)
		return
	}
	r := v.rules
	weeks := v.spec.Weeks()
	switch {
	case weeks < r.MinWeeks:
		v.problem(FieldEnd, fmt.Sprintf("Move the end date to %s or later.", start.AddDays(7*(r.MinWeeks-1))),
			"The cohort lasts %d weeks; the shortest allowed is %d.", weeks, r.MinWeeks)
	case weeks > r.MaxWeeks:
		v.problem(FieldEnd, fmt.Sprintf("Move the end date to %s or earlier.", start.AddDays(7*r.MaxWeeks-1)),
			"The cohort lasts %d weeks; the longest allowed is %d.", weeks, r.MaxWeeks)
	}
}

// date reads a required YYYY-MM-DD field.
func (v *validator) date(field string) (Date, bool) {
	s, ok := v.text(field, maxLineLen, true, true)
	if !ok {
		return Date{}, false
	}
	d, err := ParseDate(s)
	if err != nil {
		v.problem(field, fixes[field], "%s: %s.", field, err)
		return Date{}, false
	}
	return d, true
}

// timeZone reads the optional time zone and returns the location to use for
// date checks, falling back to the default (then UTC) when it is broken.
func (v *validator) timeZone() *time.Location {
	fallback, err := LoadTimeZone(v.rules.DefaultTimeZone)
	if err != nil {
		fallback = time.UTC
	}
	s, ok := v.text(FieldTimeZone, maxLineLen, false, true)
	if !ok {
		v.spec.TimeZone = fallback.String()
		return fallback
	}
	loc, err := LoadTimeZone(s)
	if err != nil {
		v.problem(FieldTimeZone, fixes[FieldTimeZone], "%s.", capitalize(err.Error()))
		return fallback
	}
	v.spec.TimeZone = loc.String()
	return loc
}

// checkinDay reads the optional check-in day.
func (v *validator) checkinDay() {
	v.spec.CheckinDay = v.rules.DefaultCheckinDay
	s, ok := v.text(FieldCheckinDay, maxLineLen, false, true)
	if !ok {
		return
	}
	d, err := ParseWeekday(s)
	if err != nil {
		v.problem(FieldCheckinDay, fixes[FieldCheckinDay], "%s.", capitalize(err.Error()))
		return
	}
	v.spec.CheckinDay = d
}

// capitalize upper-cases the first byte of an ASCII message.
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
