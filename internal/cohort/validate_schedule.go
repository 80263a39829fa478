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
	switch {
	case okStart && okEnd:
		v.problems = append(v.problems, CheckDates(start, end, v.rules, loc, now)...)
	case okEnd:
		if p, bad := pastEnd(end, loc, now); bad {
			v.problems = append(v.problems, p)
		}
	}
}

// CheckDates applies SPEC §2's date rules to a start and an end date: the
// end not in the past (today in loc), after the start, and a length between
// the rules' min and max weeks. The form's validator and /extend share it,
// so a running cohort's new end date obeys exactly the rules of a new one.
func CheckDates(start, end Date, r Rules, loc *time.Location, now time.Time) []Problem {
	var out []Problem
	if p, bad := pastEnd(end, loc, now); bad {
		out = append(out, p)
	}
	if !start.Before(end) {
		return append(out, Problem{Field: FieldEnd, Fix: "Make the end date later than the start date " + start.String() + ".",
			Message: fmt.Sprintf("The end date %s is not after the start date %s.", end, start)})
	}
	weeks := Spec{Start: start, End: end}.Weeks()
	switch {
	case weeks < r.MinWeeks:
		out = append(out, Problem{Field: FieldEnd, Fix: fmt.Sprintf("Move the end date to %s or later.", start.AddDays(7*(r.MinWeeks-1))),
			Message: fmt.Sprintf("The cohort lasts %d weeks; the shortest allowed is %d.", weeks, r.MinWeeks)})
	case weeks > r.MaxWeeks:
		out = append(out, Problem{Field: FieldEnd, Fix: fmt.Sprintf("Move the end date to %s or earlier.", start.AddDays(7*r.MaxWeeks-1)),
			Message: fmt.Sprintf("The cohort lasts %d weeks; the longest allowed is %d.", weeks, r.MaxWeeks)})
	}
	return out
}

// pastEnd reports an end date before today in loc.
func pastEnd(end Date, loc *time.Location, now time.Time) (Problem, bool) {
	today := DateOf(now.In(loc))
	if !end.Before(today) {
		return Problem{}, false
	}
	return Problem{Field: FieldEnd, Fix: "Choose an end date from " + today.String() + " on.",
		Message: fmt.Sprintf("The end date %s is in the past (today is %s in %s).", end, today, loc)}, true
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
