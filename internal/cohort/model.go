// Package cohort is the pure domain model of cohortbot: the new-cohort request
// form, its validation, the cohort roster and the calendar of cohort weeks.
// Nothing here talks to GitHub or a database, and nothing reads the clock:
// every function that needs "now" takes it as an argument.
package cohort

import (
	"fmt"
	"strings"
	"time"
)

// Ladder steps a cohort can aim for, exactly as the issue form's dropdown
// offers them.
const (
	StepMember          = "Member"
	StepReviewer        = "Reviewer"
	StepApprover        = "Approver"
	StepSubprojectOwner = "Subproject owner"
)

// LadderSteps lists the valid ladder steps in ladder order.
var LadderSteps = []string{StepMember, StepReviewer, StepApprover, StepSubprojectOwner}

// Form field headings of the new-cohort issue form, in form order. The parser
// and the shipped issue form (templates/issue-forms/new-cohort.yml) must agree
// on these names.
const (
	FieldName        = "Cohort name"
	FieldStep        = "Ladder step"
	FieldAreas       = "SIGs or areas"
	FieldMentors     = "Mentors"
	FieldMentees     = "Mentees"
	FieldStart       = "Start date"
	FieldEnd         = "End date"
	FieldCheckinDay  = "Check-in day"
	FieldTimeZone    = "Time zone"
	FieldChatChannel = "Chat channel"
	FieldNotes       = "Notes"
)

// FormFields lists every heading the form has, in order.
var FormFields = []string{
	FieldName, FieldStep, FieldAreas, FieldMentors, FieldMentees, FieldStart,
	FieldEnd, FieldCheckinDay, FieldTimeZone, FieldChatChannel, FieldNotes,
}

// Date is a calendar day with no time zone, as typed into the form
// (YYYY-MM-DD). The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days later (n may be negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// MarshalText formats d as YYYY-MM-DD so a Spec stored as JSON reads like
// the form it came from; the zero Date marshals as "".
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText is the strict inverse of MarshalText: "" is the zero Date,
// anything else must be exactly YYYY-MM-DD and a real day.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	if v.String() != string(b) {
		return fmt.Errorf("%q is not a real date in the form YYYY-MM-DD", b)
	}
	*d = v
	return nil
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, dd := t.Date()
	return Date{Year: y, Month: m, Day: dd}
}

// ParseDate parses a strict YYYY-MM-DD date and rejects days that do not
// exist (2027-02-30).
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse("2006-01-02", s)
	if err != nil || len(s) != 10 {
		return Date{}, fmt.Errorf("%q is not a real date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// Mentee is one mentee on a cohort's roster.
type Mentee struct {
	// Handle is the GitHub login, without "@", as written on the form.
	Handle string `json:"handle"`
	// Mentor is the paired mentor's handle, or "" when unpaired.
	Mentor string `json:"mentor,omitempty"`
	// Issue is the number of the mentee's tracking issue, 0 until created.
	Issue int `json:"issue,omitempty"`
}

// Spec is a validated new-cohort request: everything needed to create the
// cohort. Validate produces it; nothing else should build one from user input.
type Spec struct {
	Name        string       `json:"name"`
	Slug        string       `json:"slug"`
	Step        string       `json:"step"`
	Areas       []string     `json:"areas"`
	Mentors     []string     `json:"mentors"`
	Mentees     []Mentee     `json:"mentees"`
	Start       Date         `json:"start"`
	End         Date         `json:"end"`
	CheckinDay  time.Weekday `json:"checkin_day"`
	TimeZone    string       `json:"time_zone"`
	ChatChannel string       `json:"chat_channel,omitempty"`
	Notes       string       `json:"notes,omitempty"`
}

// Weeks is the number of cohort weeks: (end − start + 1 day) ÷ 7, rounded up.
func (s Spec) Weeks() int {
	days := int(s.End.In(time.UTC).Sub(s.Start.In(time.UTC)).Hours()/24) + 1
	return (days + 6) / 7
}

// Title is the hub issue's title.
func (s Spec) Title() string {
	return fmt.Sprintf("Cohort: %s — %s (%s → %s)", s.Name, s.Step, s.Start, s.End)
}

// MenteeTitle is the title of a mentee's tracking issue.
func (s Spec) MenteeTitle(handle string) string {
	return fmt.Sprintf("%s: @%s's progress", s.Name, handle)
}

// Problem is one thing wrong with a request, reported to the organizer.
type Problem struct {
	// Field is the form heading the problem is about ("" for the whole request).
	Field string
	// Message says what is wrong, Fix how to fix it.
	Message string
	Fix     string
}

// Warning is something worth saying that does not block the cohort.
type Warning struct {
	Field   string
	Message string
}
