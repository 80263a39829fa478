package waitlist

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/templates"
)

// Waiting is one open, valid entry of the waitlist: the issue that is the
// person's place on it.
type Waiting struct {
	IssueID      int64
	Installation int64
	Repo         string
	Number       int
	Kind         string
	Handle       string // the issue's author
	Step         string
	Areas        []string
	TimeZone     string
	Capacity     int
	Since        time.Time // the issue's creation
}

// MaxListed is how many matches the "From the waitlist" section lists.
const MaxListed = 20

// Match returns the entries that fit a cohort (SPEC §11): the same ladder
// step, at least one shared SIG or area (any, when areas is empty), nobody
// in exclude (the roster, lower-cased handles), oldest first. Mentees and
// mentors are returned in that one order.
func Match(ws []Waiting, step string, areas []string, exclude map[string]bool) []Waiting {
	want := map[string]bool{}
	for _, a := range areas {
		want[AreaKey(a)] = true
	}
	var out []Waiting
	for _, w := range ws {
		if w.Step != step || exclude[strings.ToLower(w.Handle)] || !sharesArea(w.Areas, want) {
			continue
		}
		out = append(out, w)
	}
	sortOldest(out)
	return out
}

func sharesArea(areas []string, want map[string]bool) bool {
	if len(want) == 0 {
		return true
	}
	for _, a := range areas {
		if want[AreaKey(a)] {
			return true
		}
	}
	return false
}

func sortOldest(ws []Waiting) {
	sort.SliceStable(ws, func(i, j int) bool {
		if !ws[i].Since.Equal(ws[j].Since) {
			return ws[i].Since.Before(ws[j].Since)
		}
		return ws[i].Number < ws[j].Number
	})
}

// SectionMarker starts the "From the waitlist" section of a request's
// validation comment.
const SectionMarker = "<!-- cohortbot:from-the-waitlist -->"

// Section renders the "From the waitlist" section for a request of step
// over areas: at most MaxListed matches and how many more. Handles are in
// code spans, so listing them notifies nobody and they copy cleanly into
// the form. It returns "" when nothing matches.
func Section(matches []Waiting, step string) string {
	if len(matches) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n#### From the waitlist\n\n", SectionMarker)
	fmt.Fprintf(&b, "Waiting for %s cohort with a SIG or area in common, not on this roster, oldest first:\n\n", aStep(step))
	b.WriteString("| | Who | Time zone | SIGs or areas | Waiting since | Issue |\n|---|---|---|---|---|---|\n")
	for i, w := range matches {
		if i == MaxListed {
			break
		}
		role := "mentee"
		if w.Kind == KindMentor {
			role = fmt.Sprintf("mentor (up to %d)", w.Capacity)
		}
		fmt.Fprintf(&b, "| %s | `@%s` | %s | %s | %s | #%d |\n", role, w.Handle, templates.Cell(w.TimeZone),
			templates.Cell(strings.Join(w.Areas, ", ")), w.Since.Format("2006-01-02"), w.Number)
	}
	if n := len(matches) - MaxListed; n > 0 {
		fmt.Fprintf(&b, "\n…and %d more on the waitlist.\n", n)
	}
	return b.String()
}

// WithSection appends section to a comment body (a no-op for "").
func WithSection(body, section string) string {
	if section == "" {
		return body
	}
	return strings.TrimRight(body, "\n") + "\n\n" + section
}
