package waitlist

import (
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/templates"
)

// AcceptedMarker marks the one comment on an interest or offer (also its
// validation report while it has problems).
const AcceptedMarker = "<!-- cohortbot:waitlist-report -->"

// Accepted is the comment on a valid interest or offer: what happens next
// and how many wait for the same ladder step. all is the whole waitlist of
// the repository, w included.
func Accepted(w Waiting, all []Waiting) string {
	mentees, mentors := 0, 0
	for _, o := range all {
		if o.Step != w.Step {
			continue
		}
		if o.Kind == KindMentor {
			mentors++
		} else {
			mentees++
		}
	}
	var b strings.Builder
	b.WriteString(AcceptedMarker + "\n")
	if w.Kind == KindMentor {
		fmt.Fprintf(&b, "### ✅ Thank you, @%s: your offer to mentor toward %s is recorded\n\n", w.Handle, w.Step)
		fmt.Fprintf(&b, "You can take up to %s; time zone %s; SIGs or areas: %s.\n\n", Plural(w.Capacity, "mentee"),
			templates.Cell(w.TimeZone), templates.Cell(strings.Join(w.Areas, ", ")))
	} else {
		fmt.Fprintf(&b, "### ✅ @%s, you are on the waitlist for %s cohort\n\n", w.Handle, aStep(w.Step))
		fmt.Fprintf(&b, "Time zone %s; SIGs or areas: %s.\n\n", templates.Cell(w.TimeZone), templates.Cell(strings.Join(w.Areas, ", ")))
	}
	fmt.Fprintf(&b, "Waiting for %s now: %s and %s.\n\n", w.Step, Plural(mentees, "mentee"), Plural(mentors, "mentor offer"))
	b.WriteString("**What happens next.** Organizers see the waitlist when they form a cohort for this ladder step " +
		"and one of your SIGs or areas. ")
	if w.Kind == KindMentor {
		b.WriteString("When you mentor a cohort, cohortbot links its hub here and closes this issue.")
	} else {
		b.WriteString("When you join a cohort, cohortbot links your tracking issue here and closes this issue.")
	}
	b.WriteString("\n\nThis open issue is your place on the waitlist: edit it to change your answers, close it to leave.\n")
	return b.String()
}

// Plural says "1 mentee", "2 mentees".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Duplicate is the answer to a person's second open interest (or offer).
func Duplicate(author string, first Waiting) string {
	what := "interest in a cohort"
	if first.Kind == KindMentor {
		what = "offer to mentor"
	}
	return fmt.Sprintf("@%s, you already have an open %s: #%d. A person has one at a time, so this issue "+
		"is closed as a duplicate; edit #%d to change your answers.\n", author, what, first.Number, first.Number)
}

// Joined is the comment on a roster member's interest or offer when their
// cohort is created: a link to their tracking issue (a mentee) or the hub
// (a mentor).
func Joined(w Waiting, cohortName string, number int) string {
	if w.Kind == KindMentor {
		return fmt.Sprintf("@%s, you mentor the cohort **%s**: its hub is #%d. Your offer is fulfilled, so this "+
			"issue is closed; file a new offer any time to mentor again.\n", w.Handle, cohortName, number)
	}
	return fmt.Sprintf("@%s, you joined the cohort **%s**: your tracking issue is #%d. You are off the "+
		"waitlist, so this issue is closed.\n", w.Handle, cohortName, number)
}

// aStep is a ladder step with its article: "a Reviewer", "an Approver".
func aStep(step string) string {
	if step != "" && strings.ContainsRune("AEIOUaeiou", rune(step[0])) {
		return "an " + step
	}
	return "a " + step
}
