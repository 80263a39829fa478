package cohort

import (
	"fmt"
	"strings"
)

// Roster is the people of a running cohort who count for SPEC §2's rules:
// its active mentors in roster order and its active mentees (graduated ones
// included: they stay in the cohort). Withdrawn and removed people are not
// on it. The roster commands check a change against it with the same rules
// as the request form, so a cohort can never be edited into a shape the
// form would have refused.
type Roster struct {
	Mentors []string
	Mentees []Mentee
}

// ParseMenteeArg reads the argument of /add-mentee: "@x", "@x -> @mentor",
// "@x->@mentor" or "@x → @mentor", with or without "@", exactly as a line of
// the form's Mentees field.
func ParseMenteeArg(s string) (Mentee, error) {
	lines := splitList(s)
	if len(lines) != 1 {
		return Mentee{}, fmt.Errorf("name one mentee, optionally paired: `@mentee -> @mentor`")
	}
	e := lines[0]
	if len(strings.Fields(e.handle)) > 1 {
		return Mentee{}, fmt.Errorf("%q holds more than one handle; add one mentee per command", clip(e.handle, 60))
	}
	h, err := NormalizeHandle(e.handle)
	if err != nil {
		return Mentee{}, fmt.Errorf("%s is not a GitHub handle: %w", Echo(e.handle), err)
	}
	m := Mentee{Handle: h}
	if e.paired {
		if m.Mentor, err = NormalizeHandle(e.mentor); err != nil {
			return Mentee{}, fmt.Errorf("the mentor after the arrow: %w", err)
		}
	}
	return m, nil
}

func (r Roster) mentor(h string) (string, bool) {
	for _, m := range r.Mentors {
		if strings.EqualFold(m, h) {
			return m, true
		}
	}
	return "", false
}

func (r Roster) mentee(h string) bool {
	for _, m := range r.Mentees {
		if strings.EqualFold(m.Handle, h) {
			return true
		}
	}
	return false
}

// paired counts the mentees paired with mentor h.
func (r Roster) paired(h string) int {
	n := 0
	for _, m := range r.Mentees {
		if strings.EqualFold(m.Mentor, h) {
			n++
		}
	}
	return n
}

// needMentors is ⌈mentees ÷ per⌉, and at least one: a cohort never runs
// without a mentor.
func needMentors(mentees int, r Rules) int {
	per := max(r.MenteesPerMentor, 1)
	return max((mentees+per-1)/per, 1)
}

// CheckAddMentee says everything that stops m from joining, all at once, as
// the form does: duplicates, mentor and mentee at once, busy in another
// active cohort (busySlug, "" when not), the size limit, the mentor ratio,
// a pairing to a mentor not on the roster or already full. The returned
// Mentee names the paired mentor as the roster spells the handle.
func (r Roster) CheckAddMentee(rules Rules, m Mentee, busySlug string) (Mentee, []string) {
	var out []string
	switch {
	case r.mentee(m.Handle):
		out = append(out, fmt.Sprintf("@%s is already a mentee of this cohort.", m.Handle))
	case isIn(r.Mentors, m.Handle):
		out = append(out, fmt.Sprintf("@%s is a mentor of this cohort; nobody can be both mentor and mentee.", m.Handle))
	}
	if busySlug != "" {
		out = append(out, fmt.Sprintf("@%s is already a mentee in the active cohort `%s`; withdraw them there first.", m.Handle, busySlug))
	}
	n := len(r.Mentees) + 1
	if n > rules.MaxMentees {
		out = append(out, fmt.Sprintf("the cohort already has %d mentees, the most allowed (`max_mentees: %d`).", len(r.Mentees), rules.MaxMentees))
	}
	if need := needMentors(n, rules); len(r.Mentors) < need {
		out = append(out, fmt.Sprintf("%d mentees need at least %d mentors (one per %d); the cohort has %d. Add a mentor first with `/add-mentor @handle`.",
			n, need, rules.MenteesPerMentor, len(r.Mentors)))
	}
	if m.Mentor != "" {
		spelled, ok := r.mentor(m.Mentor)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("@%s is not a mentor of this cohort; pair @%s with one of %s, or leave out the pairing.",
				m.Mentor, m.Handle, atList(r.Mentors)))
		case r.paired(spelled) >= rules.MenteesPerMentor:
			out = append(out, fmt.Sprintf("@%s is already paired with %d mentees, the most allowed; pair @%s with another mentor, or leave out the pairing.",
				spelled, r.paired(spelled), m.Handle))
		default:
			m.Mentor = spelled
		}
	}
	return m, out
}

// CheckAddMentor says what stops h from becoming a mentor.
func (r Roster) CheckAddMentor(h string) []string {
	switch {
	case isIn(r.Mentors, h):
		return []string{fmt.Sprintf("@%s is already a mentor of this cohort.", h)}
	case r.mentee(h):
		return []string{fmt.Sprintf("@%s is a mentee of this cohort; nobody can be both mentor and mentee.", h)}
	}
	return nil
}

// CheckRemoveMentor says what stops mentor h from leaving: not a mentor, or
// the mentors left would be fewer than the ratio needs. unpaired lists the
// mentees paired with h, who lose their pairing (they are then mentored by
// any mentor, as unpaired mentees of the form are).
func (r Roster) CheckRemoveMentor(rules Rules, h string) (unpaired []string, problems []string) {
	spelled, ok := r.mentor(h)
	if !ok {
		return nil, []string{fmt.Sprintf("@%s is not a mentor of this cohort.", h)}
	}
	if need := needMentors(len(r.Mentees), rules); len(r.Mentors)-1 < need {
		return nil, []string{fmt.Sprintf("the cohort's %d mentees need at least %d mentors (one per %d); without @%s it would have %d. Add another mentor first with `/add-mentor @handle`.",
			len(r.Mentees), need, rules.MenteesPerMentor, spelled, len(r.Mentors)-1)}
	}
	for _, m := range r.Mentees {
		if strings.EqualFold(m.Mentor, spelled) {
			unpaired = append(unpaired, m.Handle)
		}
	}
	return unpaired, nil
}

func isIn(list []string, h string) bool {
	for _, x := range list {
		if strings.EqualFold(x, h) {
			return true
		}
	}
	return false
}

// atList writes handles as "@a, @b".
func atList(hs []string) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = "@" + h
	}
	if len(out) == 0 {
		return "(no mentors)"
	}
	return strings.Join(out, ", ")
}
