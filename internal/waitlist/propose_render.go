package waitlist

import (
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/templates"
)

// maxNameLen keeps a proposed cohort's name within the form's 100
// characters.
const maxNameLen = 100

// Title is the proposed request's title (SPEC §11).
func (p Proposal) Title() string {
	return "New cohort: " + cohort.Clip(p.Step+" "+strings.Join(p.Areas, ", "), 200) + " (proposed)"
}

// name is the proposed cohort's name, like the form's example "SIG Apps
// reviewers 2027" without the year; the organizer may change it.
func (p Proposal) name() string {
	return cohort.Clip(strings.Join(p.Areas, ", ")+" "+strings.ToLower(p.Step)+"s", maxNameLen)
}

// Body renders the proposal as a filled-in new-cohort form (the headings of
// cohort.FormFields, as GitHub renders a submission), dates left empty for
// the organizer, and notes saying where each person came from.
func (p Proposal) Body(proposer string) string {
	var mentors, mentees []string
	for _, m := range p.Mentors {
		mentors = append(mentors, "@"+m.Handle)
	}
	for _, m := range p.Mentees {
		mentees = append(mentees, "@"+m.Handle)
	}
	values := map[string]string{
		cohort.FieldName:     p.name(),
		cohort.FieldStep:     p.Step,
		cohort.FieldAreas:    strings.Join(p.Areas, ", "),
		cohort.FieldMentors:  strings.Join(mentors, "\n"),
		cohort.FieldMentees:  strings.Join(mentees, "\n"),
		cohort.FieldTimeZone: commonZone(p.Mentees),
		cohort.FieldNotes:    p.notes(proposer),
	}
	return cohort.SubmissionOf(cohort.FormFields, values) + "\n"
}

func (p Proposal) notes(proposer string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Proposed from the waitlist by @%s with `/propose-cohort`. This is a **draft** (`%s`): "+
		"cohortbot does not act on it. Fill in the start and end dates, adjust anything, then add the label "+
		"`cohort/request`: the bot checks the request then, and on creation links each person's tracking issue "+
		"or the hub from their waitlist issue and closes it.\n\n", proposer, LabelDraft)
	b.WriteString("| Role | Who | Time zone | Waiting since | Waitlist issue |\n|---|---|---|---|---|\n")
	for _, w := range append(append([]Waiting(nil), p.Mentees...), p.Mentors...) {
		role := "mentee"
		if w.Kind == KindMentor {
			role = fmt.Sprintf("mentor (up to %d)", w.Capacity)
		}
		fmt.Fprintf(&b, "| %s | `@%s` | %s | %s | #%d |\n", role, w.Handle, templates.Cell(w.TimeZone),
			w.Since.Format("2006-01-02"), w.Number)
	}
	if p.Other > 0 {
		more := fmt.Sprintf("%d more matching mentees wait", p.Other)
		if p.Other == 1 {
			more = "1 more matching mentee waits"
		}
		fmt.Fprintf(&b, "\n%s (over the cohort size, or more than 6 hours from this group's time zones): run `/propose-cohort` again after this cohort is created.\n", more)
	}
	return b.String()
}

// commonZone is the time zone most of ws live in (the oldest's on a tie).
func commonZone(ws []Waiting) string {
	count := map[string]int{}
	best := ""
	for _, w := range ws {
		count[w.TimeZone]++
		if best == "" || count[w.TimeZone] > count[best] {
			best = w.TimeZone
		}
	}
	return best
}
