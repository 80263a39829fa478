package cohort

import (
	"fmt"
	"strings"
)

// roster is the checked Mentors and Mentees lists.
type roster struct {
	mentors   map[string]string // lower-cased handle → handle as typed
	menteeSet map[string]bool
	pairs     map[string]int // lower-cased mentor → mentees paired with them
}

// people checks Mentors and Mentees: handles, duplicates, overlap, pairings,
// counts, and mentees busy in another cohort.
func (v *validator) people(busy map[string]string) {
	ro := roster{mentors: map[string]string{}, menteeSet: map[string]bool{}, pairs: map[string]int{}}
	mentorLines, okMentors := v.list(FieldMentors)
	for _, e := range v.checkedLines(FieldMentors, mentorLines, ro, false) {
		ro.mentors[strings.ToLower(e.handle)] = e.handle
		v.spec.Mentors = append(v.spec.Mentors, e.handle)
	}
	menteeLines, okMentees := v.list(FieldMentees)
	for _, e := range v.checkedLines(FieldMentees, menteeLines, ro, true) {
		m := Mentee{Handle: e.handle}
		if e.paired {
			m.Mentor = ro.mentors[strings.ToLower(e.mentor)]
			ro.pairs[strings.ToLower(m.Mentor)]++
		}
		if slug, ok := busy[strings.ToLower(e.handle)]; ok && slug != v.spec.Slug {
			v.problem(FieldMentees, "Remove @"+e.handle+" from this cohort, or withdraw them from `"+slug+"` first.",
				"@%s is already a mentee in the active cohort `%s`.", e.handle, slug)
		}
		v.spec.Mentees = append(v.spec.Mentees, m)
	}
	v.pairLimits(ro)
	if okMentors && okMentees {
		v.counts(len(mentorLines), len(menteeLines))
	}
}

// list returns a handle list's entries; ok is false when the field is missing
// or too long (both reported).
func (v *validator) list(field string) ([]listLine, bool) {
	s, ok := v.text(field, maxListLen, true, false)
	if !ok {
		return nil, false
	}
	lines := splitList(s)
	if len(lines) == 0 {
		v.problem(field, fixes[field], "%s is required.", field)
		return nil, false
	}
	return lines, true
}

// checkedLines reports bad lines of a list and returns the good ones with
// handles normalised. For mentees, a pairing is checked against ro.mentors.
// Problems beyond maxListProblems are summarised in one.
func (v *validator) checkedLines(field string, lines []listLine, ro roster, mentees bool) []listLine {
	var good []listLine
	bad := 0
	seen := map[string]bool{}
	for _, e := range lines {
		msg, fix := v.checkLine(&e, ro, seen, mentees)
		if msg == "" {
			good = append(good, e)
			continue
		}
		if bad++; bad <= maxListProblems {
			v.problem(field, fix, "Line %d: %s", e.num, msg)
		}
	}
	if bad > maxListProblems {
		v.problem(field, fixes[field], "…and %d more lines with problems.", bad-maxListProblems)
	}
	return good
}

// checkLine checks one list entry, normalising e in place; it returns the
// problem's message and fix, or "" when the line is good.
func (v *validator) checkLine(e *listLine, ro roster, seen map[string]bool, mentees bool) (string, string) {
	if parts := strings.FieldsFunc(e.handle, func(r rune) bool { return strings.ContainsRune(" \t,;", r) }); len(parts) > 1 {
		return fmt.Sprintf("%q holds more than one handle.", clip(e.handle, 60)), "Put one `@handle` per line."
	}
	h, err := NormalizeHandle(e.handle)
	if err != nil {
		return err.Error() + ".", "Write the GitHub login exactly, e.g. `@octocat`, typing it rather than pasting it."
	}
	e.handle = h
	low := strings.ToLower(h)
	switch {
	case mentees && ro.mentors[low] != "":
		return fmt.Sprintf("@%s is both a mentor and a mentee.", h), "List @" + h + " under Mentors or under Mentees, not both."
	case seen[low]:
		return fmt.Sprintf("@%s is listed twice.", h), "Remove the second @" + h + "."
	}
	seen[low] = true
	if !e.paired {
		return "", ""
	}
	if !mentees {
		return "pairings (`->`) belong in Mentees.", "Write `@mentee -> @mentor` lines under Mentees; list only mentors here."
	}
	m, err := NormalizeHandle(e.mentor)
	if err != nil {
		return "the mentor after the arrow: " + err.Error() + ".", "Write the pairing as `@mentee -> @mentor`."
	}
	if ro.mentors[strings.ToLower(m)] == "" {
		return fmt.Sprintf("@%s is paired with @%s, who is not listed under Mentors.", h, m),
			"Add @" + m + " to Mentors, or pair @" + h + " with a listed mentor."
	}
	e.mentor = m
	return "", ""
}

// pairLimits reports mentors paired with more mentees than the rules allow.
func (v *validator) pairLimits(ro roster) {
	for _, m := range v.spec.Mentors {
		if n := ro.pairs[strings.ToLower(m)]; n > v.rules.MenteesPerMentor {
			v.problem(FieldMentees, fmt.Sprintf("Pair at most %d mentees with @%s; move the others to another mentor.", v.rules.MenteesPerMentor, m),
				"@%s is paired with %d mentees; the most is %d.", m, n, v.rules.MenteesPerMentor)
		}
	}
}

// counts checks the size of the cohort and the mentor ratio. Lines with
// problems still count: the organizer meant a person there.
func (v *validator) counts(mentors, mentees int) {
	r := v.rules
	if mentees > r.MaxMentees {
		v.problem(FieldMentees, fmt.Sprintf("Split the group into two cohorts, or remove %s.", Count(mentees-r.MaxMentees, "mentee", "mentees")),
			"%s listed; a cohort has at most %d.", Count(mentees, "mentee is", "mentees are"), r.MaxMentees)
	} else if mentees < r.RecommendedMentees {
		v.warn(FieldMentees, "%s listed; cohorts work best with %d to %d.", Count(mentees, "mentee is", "mentees are"), r.RecommendedMentees, r.MaxMentees)
	}
	if per := max(r.MenteesPerMentor, 1); mentors < (mentees+per-1)/per {
		need := (mentees + per - 1) / per
		v.problem(FieldMentors, fmt.Sprintf("Add %s, or list fewer mentees.", Count(need-mentors, "more mentor", "more mentors")),
			"%s at least %s (one per %d); %s listed.", Count(mentees, "mentee needs", "mentees need"), Count(need, "mentor", "mentors"), per, Count(mentors, "is", "are"))
	}
}

// Count writes n with the singular or plural words: "1 mentee", "2 mentees".
func Count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
