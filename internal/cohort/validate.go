package cohort

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Rules are the limits a repository's config sets for new cohorts (SPEC §7).
type Rules struct {
	MaxMentees         int
	RecommendedMentees int
	MenteesPerMentor   int
	MinWeeks           int
	MaxWeeks           int
	DefaultCheckinDay  time.Weekday
	DefaultTimeZone    string
}

// DefaultRules are the seed document's numbers: at most 10 mentees (8–10
// ideal), one mentor per 3 mentees, 4 to 16 weeks, Monday check-ins in UTC.
func DefaultRules() Rules {
	return Rules{
		MaxMentees: 10, RecommendedMentees: 8, MenteesPerMentor: 3,
		MinWeeks: 4, MaxWeeks: 16, DefaultCheckinDay: time.Monday, DefaultTimeZone: "UTC",
	}
}

// Length limits of form values. They keep a 65,536-character body from
// producing thousands of problems or oversized labels and titles.
const (
	maxNameLen      = 100
	maxAreasLen     = 500
	maxAreaLen      = 50
	maxListLen      = 4000
	maxChatLen      = 100
	maxNotesLen     = 5000
	maxLineLen      = 100 // dates, ladder step, day, time zone
	maxListProblems = 10  // per handle list; the rest are summarised
	maxUnknownWarns = 5
)

// Validate checks a parsed new-cohort form against SPEC §2 — everything except
// "the sender is an organizer", which needs GitHub. All problems are returned
// at once, in form order, each naming its field and how to fix it, so the
// organizer can fix the request in one edit. busy maps a lower-cased handle to
// the slug of another active cohort that handle is a mentee in (an entry whose
// slug equals this request's slug is not "another" cohort and is ignored).
// The Spec is complete only when there are no problems.
func Validate(f Form, r Rules, now time.Time, busy map[string]string) (Spec, []Problem, []Warning) {
	v := &validator{form: f, rules: r}
	v.name()
	v.step()
	v.areas()
	v.people(busy)
	v.schedule(now)
	v.extras()
	sort.SliceStable(v.problems, func(i, j int) bool {
		return fieldOrder(v.problems[i].Field) < fieldOrder(v.problems[j].Field)
	})
	return v.spec, v.problems, v.warnings
}

// validator accumulates the Spec and what is wrong with it.
type validator struct {
	form     Form
	rules    Rules
	spec     Spec
	problems []Problem
	warnings []Warning
}

func (v *validator) problem(field, fix, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...), Fix: fix})
}

func (v *validator) warn(field, format string, args ...any) {
	v.warnings = append(v.warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
}

// fixes says, per field, how to fill it in; used for "required" and "malformed".
var fixes = map[string]string{
	FieldName:        "Give the cohort a name such as `SIG Apps reviewers 2027`.",
	FieldStep:        "Choose one of: " + strings.Join(LadderSteps, ", ") + ".",
	FieldAreas:       "List the SIGs or areas separated by commas, e.g. `SIG Apps, SIG CLI`.",
	FieldMentors:     "List one `@handle` per line.",
	FieldMentees:     "List one `@handle` per line, optionally paired as `@mentee -> @mentor`.",
	FieldStart:       "Write the date as YYYY-MM-DD, e.g. `2027-03-01`.",
	FieldEnd:         "Write the date as YYYY-MM-DD, e.g. `2027-05-31`.",
	FieldCheckinDay:  "Choose a day from Monday to Sunday, or leave it empty for the default.",
	FieldTimeZone:    "Use an IANA name such as `Europe/Berlin` or `America/New_York` (see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones), or leave it empty for the default.",
	FieldChatChannel: "Write the channel on one line, e.g. `#cohort-sig-apps-2027`.",
	FieldNotes:       "Shorten the notes; link to a document for longer text.",
}

// text returns a field's trimmed value after checking its length and, for
// single-line fields, that it is one line. ok is false when the value is
// unusable (already reported) or empty and required (reported).
func (v *validator) text(field string, max int, required, oneLine bool) (string, bool) {
	s, why := CheckText(field, v.form.Get(field), max, required, oneLine)
	if why != "" {
		v.problem(field, fixes[field], "%s", why)
		return "", false
	}
	return s, s != ""
}

// CheckText is a form field's trimmed value, or why it is unusable: empty
// when required, longer than max, or more than one line for a single-line
// field. Every form's validation (requests, interests, offers) says it in
// these words.
func CheckText(field, value string, max int, required, oneLine bool) (s, problem string) {
	s = strings.TrimSpace(value)
	switch {
	case s == "" && required:
		return "", fmt.Sprintf("%s is required.", field)
	case len(s) > max:
		return "", fmt.Sprintf("%s is %d characters long; at most %d are allowed.", field, len(s), max)
	case oneLine && strings.Contains(s, "\n"):
		return "", fmt.Sprintf("%s must be a single line; it has %d.", field, strings.Count(s, "\n")+1)
	}
	return s, ""
}

func (v *validator) name() {
	s, ok := v.text(FieldName, maxNameLen, true, true)
	if !ok {
		return
	}
	v.spec.Name = s
	v.spec.Slug = Slugify(s)
	if v.spec.Slug == "" {
		v.problem(FieldName, "Use a name with Latin letters or digits, e.g. `SIG Apps reviewers 2027`.",
			"%q gives an empty slug: it has no ASCII letters or digits.", s)
	}
}

func (v *validator) step() {
	s, ok := v.text(FieldStep, maxLineLen, true, true)
	if !ok {
		return
	}
	for _, step := range LadderSteps {
		if strings.EqualFold(strings.Join(strings.Fields(s), " "), step) {
			v.spec.Step = step
			return
		}
	}
	v.problem(FieldStep, fixes[FieldStep], "%q is not a ladder step.", clip(s, 40))
}

func (v *validator) areas() {
	s, ok := v.text(FieldAreas, maxAreasLen, true, false)
	if !ok {
		return
	}
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
			continue
		case len(a) > maxAreaLen:
			v.problem(FieldAreas, fixes[FieldAreas], "The area %q is longer than %d characters.", clip(a, 40), maxAreaLen)
		default:
			v.spec.Areas = append(v.spec.Areas, a)
		}
	}
	if len(v.spec.Areas) == 0 {
		v.problem(FieldAreas, fixes[FieldAreas], "%s is required.", FieldAreas)
	}
}

// extras reads the optional free-text fields and warns about headings the
// form does not have.
func (v *validator) extras() {
	if s, ok := v.text(FieldChatChannel, maxChatLen, false, true); ok {
		v.spec.ChatChannel = s
	}
	if s, ok := v.text(FieldNotes, maxNotesLen, false, false); ok {
		v.spec.Notes = s
	}
	for i, h := range v.form.Unknown {
		if i == maxUnknownWarns {
			v.warn("", "…and %d more headings the form does not have.", len(v.form.Unknown)-i)
			break
		}
		v.warn(clip(h, 60), "The form has no field %q; its text was ignored.", clip(h, 60))
	}
}

// fieldOrder sorts problems in form order; a problem about no particular
// field comes last.
func fieldOrder(field string) int {
	if i := fieldIndex(field, FormFields); i >= 0 {
		return i
	}
	return len(FormFields)
}
