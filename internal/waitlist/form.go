// Package waitlist is the pure logic of SPEC §11: the two waitlist issue
// forms (a contributor's interest in a cohort, an offer to mentor), their
// validation, matching waitlisted people to a new-cohort request, and the
// pre-filled request of /propose-cohort. Nothing here talks to GitHub or a
// database, and nothing reads the clock.
package waitlist

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// Kinds of waitlist entry.
const (
	KindMentee = "mentee" // an interest: join-cohort.yml
	KindMentor = "mentor" // an offer: offer-mentoring.yml
)

// Labels of SPEC §11, exactly as named there.
const (
	LabelInterest   = "cohort/interest"
	LabelOffer      = "cohort/mentor-offer"
	LabelWaitMentee = "waitlist/mentee"
	LabelWaitMentor = "waitlist/mentor"
	LabelDraft      = "cohort/draft"
)

// Headings of the two forms that the new-cohort form does not have.
const (
	FieldAimStep    = "Ladder step I am aiming for"
	FieldMentorStep = "Ladder step I can mentor toward"
	FieldCapacity   = "Mentees I can take"
)

// InterestFields and OfferFields are the forms' headings in form order; the
// shipped forms (templates/issue-forms/join-cohort.yml, offer-mentoring.yml)
// must agree (a test in templates checks it).
var (
	InterestFields = []string{FieldAimStep, cohort.FieldAreas, cohort.FieldTimeZone, cohort.FieldNotes}
	OfferFields    = []string{FieldMentorStep, cohort.FieldAreas, cohort.FieldTimeZone, FieldCapacity, cohort.FieldNotes}
)

// Limits of form values, as for new-cohort requests.
const (
	maxAreasLen = 500
	maxAreaLen  = 50
	maxAreas    = 20
	maxNotesLen = 5000
	maxLineLen  = 100
)

// Entry is one valid waitlist entry, as the form gave it.
type Entry struct {
	Kind     string
	Step     string
	Areas    []string
	TimeZone string
	// Capacity is how many mentees a mentor can take (0 for a mentee).
	Capacity int
	Notes    string
}

// Fields returns the form's headings of kind.
func Fields(kind string) []string {
	if kind == KindMentor {
		return OfferFields
	}
	return InterestFields
}

// Label returns the form's label of kind, WaitLabel the label of a valid
// entry of kind.
func Label(kind string) string {
	if kind == KindMentor {
		return LabelOffer
	}
	return LabelInterest
}

// WaitLabel returns waitlist/mentee or waitlist/mentor.
func WaitLabel(kind string) string { return "waitlist/" + kind }

// KindOf decides whether an issue is an interest or an offer (SPEC §11): by
// its form label or waitlist label, else by its form's distinctive heading
// as a heading (cohort.ParseFormFields finds it; a mention in prose does
// not count). GitHub applies a form's labels only when they exist, so the
// first interest of a fresh repository arrives unlabelled. It returns "" for
// any other issue.
func KindOf(labels []string, body string) string {
	for _, l := range labels {
		switch strings.ToLower(l) {
		case LabelInterest, LabelWaitMentee:
			return KindMentee
		case LabelOffer, LabelWaitMentor:
			return KindMentor
		}
	}
	if strings.Count(body, "###") == 0 {
		return ""
	}
	if _, ok := cohort.ParseFormFields(body, InterestFields).Fields[FieldAimStep]; ok {
		return KindMentee
	}
	if _, ok := cohort.ParseFormFields(body, OfferFields).Fields[FieldMentorStep]; ok {
		return KindMentor
	}
	return ""
}

// Parse reads an interest or offer body and validates it. All problems are
// returned at once, each naming its field and how to fix it; the Entry is
// complete only when there are none. perMentor is the repository's
// mentees_per_mentor (an offer's default capacity), maxMentees its
// max_mentees (the most an offer may take).
func Parse(kind, body string, perMentor, maxMentees int) (Entry, []cohort.Problem) {
	f := cohort.ParseFormFields(body, Fields(kind))
	v := &check{form: f, e: Entry{Kind: kind}}
	stepField := FieldAimStep
	if kind == KindMentor {
		stepField = FieldMentorStep
	}
	v.step(stepField)
	v.areas()
	v.timeZone()
	if kind == KindMentor {
		v.capacity(perMentor, maxMentees)
	}
	if s, ok := v.text(cohort.FieldNotes, maxNotesLen, false, false); ok {
		v.e.Notes = s
	}
	return v.e, v.problems
}

type check struct {
	form     cohort.Form
	e        Entry
	problems []cohort.Problem
}

func (v *check) problem(field, fix, format string, args ...any) {
	v.problems = append(v.problems, cohort.Problem{Field: field, Message: fmt.Sprintf(format, args...), Fix: fix})
}

var fixes = map[string]string{
	FieldAimStep:      "Choose one of: " + strings.Join(cohort.LadderSteps, ", ") + ".",
	FieldMentorStep:   "Choose one of: " + strings.Join(cohort.LadderSteps, ", ") + ".",
	cohort.FieldAreas: "List the SIGs or areas separated by commas, e.g. `SIG Apps, SIG CLI`.",
	cohort.FieldTimeZone: "Use an IANA name such as `Europe/Berlin` or `America/New_York` " +
		"(see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones).",
	FieldCapacity:     "Write a whole number such as `3`, or leave it empty for the default.",
	cohort.FieldNotes: "Shorten the notes; link to a document for longer text.",
}

// text returns a field's trimmed value after checking its length and, for
// single-line fields, that it is one line; ok is false when it is unusable
// (reported) or empty.
func (v *check) text(field string, max int, required, oneLine bool) (string, bool) {
	s, why := cohort.CheckText(field, v.form.Get(field), max, required, oneLine)
	if why != "" {
		v.problem(field, fixes[field], "%s", why)
		return "", false
	}
	return s, s != ""
}

func (v *check) step(field string) {
	s, ok := v.text(field, maxLineLen, true, true)
	if !ok {
		return
	}
	if step := NormalizeStep(s); step != "" {
		v.e.Step = step
		return
	}
	v.problem(field, fixes[field], "%q is not a ladder step.", cohort.Clip(s, 40))
}

// NormalizeStep returns the ladder step s names (case and spacing aside),
// or "".
func NormalizeStep(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, step := range cohort.LadderSteps {
		if strings.EqualFold(s, step) {
			return step
		}
	}
	return ""
}

func (v *check) areas() {
	s, ok := v.text(cohort.FieldAreas, maxAreasLen, true, false)
	if !ok {
		return
	}
	seen := map[string]bool{}
	for _, a := range SplitAreas(s) {
		switch {
		case len(a) > maxAreaLen:
			v.problem(cohort.FieldAreas, fixes[cohort.FieldAreas], "The area %q is longer than %d characters.", cohort.Clip(a, 40), maxAreaLen)
		case !seen[AreaKey(a)]:
			seen[AreaKey(a)] = true
			v.e.Areas = append(v.e.Areas, a)
		}
	}
	switch {
	case len(v.e.Areas) == 0:
		v.problem(cohort.FieldAreas, fixes[cohort.FieldAreas], "%s is required.", cohort.FieldAreas)
	case len(v.e.Areas) > maxAreas:
		v.problem(cohort.FieldAreas, "Name the few areas you care most about.", "%d areas are listed; at most %d are allowed.", len(v.e.Areas), maxAreas)
	}
}

// SplitAreas splits a comma- or line-separated list of SIGs or areas.
func SplitAreas(s string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if a = strings.Join(strings.Fields(a), " "); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// AreaKey is how areas compare: case and spacing do not matter ("SIG Apps"
// is "sig  apps").
func AreaKey(a string) string { return strings.ToLower(strings.Join(strings.Fields(a), " ")) }

func (v *check) timeZone() {
	s, ok := v.text(cohort.FieldTimeZone, maxLineLen, true, true)
	if !ok {
		return
	}
	if _, err := cohort.LoadTimeZone(s); err != nil {
		v.problem(cohort.FieldTimeZone, fixes[cohort.FieldTimeZone], "%s.", capitalise(err.Error()))
		return
	}
	v.e.TimeZone = s
}

func (v *check) capacity(perMentor, maxMentees int) {
	s, ok := v.text(FieldCapacity, maxLineLen, false, true)
	if !ok {
		v.e.Capacity = perMentor
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	switch {
	case err != nil:
		v.problem(FieldCapacity, fixes[FieldCapacity], "%q is not a number.", cohort.Clip(s, 40))
	case n < 1 || n > maxMentees:
		v.problem(FieldCapacity, fmt.Sprintf("Write a number from 1 to %d.", maxMentees),
			"%d mentees is outside 1 to %d (a cohort's largest size here).", n, maxMentees)
	default:
		v.e.Capacity = n
	}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
