package templates

import "fmt"

// ReminderData is the reminder a mentee gets before a week ends.
type ReminderData struct {
	Mentee   string
	Week     int
	Ends     string
	Sections []string
}

// RenderReminder renders a check-in reminder.
func RenderReminder(d ReminderData) (string, error) { return render("reminder", d) }

// AtRisk is a mentee with two missed weeks in a row and the mentor to tell.
type AtRisk struct{ Mentee, Mentor string }

// WeekSummary is one ended week on the hub.
type WeekSummary struct {
	Week                int
	Skipped             bool
	CheckedIn, Expected int
	Missing             []string
	AtRisk              []AtRisk
}

// BoundaryData is the hub comment at week boundaries (one comment for every
// week that ended since the last, after downtime).
type BoundaryData struct {
	Weeks            []WeekSummary
	NextWeek         int
	NextFrom, NextTo string
	Facilitator      string
	// Filled by RenderBoundary: everyone missing in any of the weeks, and
	// the at-risk mentees grouped by the mentor to tell, each named once.
	MissingAll []string
	AtRisk     []MentorGroup
	// Final: inside the final report, where nobody is mentioned.
	Final bool
}

// MentorGroup is a mentor and the mentees they are asked about.
type MentorGroup struct {
	Mentor  string
	Mentees []string
}

// RenderBoundary renders the week-boundary comment: one week's count and who
// is missing, or, after downtime, one table for all the weeks that ended.
func RenderBoundary(d BoundaryData) (string, error) { return render("boundary", d.grouped()) }

func (d BoundaryData) grouped() BoundaryData {
	seen := map[string]bool{}
	byMentor := map[string]int{}
	d.MissingAll, d.AtRisk = nil, nil
	for _, w := range d.Weeks {
		for _, m := range w.Missing {
			if !seen[m] {
				seen[m] = true
				d.MissingAll = append(d.MissingAll, m)
			}
		}
		for _, r := range w.AtRisk {
			i, ok := byMentor[r.Mentor]
			if !ok {
				i = len(d.AtRisk)
				byMentor[r.Mentor] = i
				d.AtRisk = append(d.AtRisk, MentorGroup{Mentor: r.Mentor})
			}
			if !contains(d.AtRisk[i].Mentees, r.Mentee) {
				d.AtRisk[i].Mentees = append(d.AtRisk[i].Mentees, r.Mentee)
			}
		}
	}
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// MenteeStat is one mentee's record in the midpoint and final reports.
type MenteeStat struct {
	Handle              string
	CheckedIn, Expected int
	TasksDone           int
	TasksOpen           int
	Outcome             string
	Link                string
	// Progress is the last measured ladder progress ("reviewed 12/20 ⏳";
	// "" when never measured, SPEC §10).
	Progress string
}

// anyProgress reports whether some mentee has ladder progress to show.
func anyProgress(ms []MenteeStat) bool {
	for _, m := range ms {
		if m.Progress != "" {
			return true
		}
	}
	return false
}

// MidpointData is the mid-program comment.
type MidpointData struct {
	WeeksDone, Weeks int
	Mentees          []MenteeStat
	Step, Hint       string
}

// RenderMidpoint renders the mid-program comment.
func RenderMidpoint(d MidpointData) (string, error) { return render("midpoint", d) }

// FinalData is the closing report.
type FinalData struct {
	Name, Step, Why      string
	Graduated, Total     int
	CheckedIn, Expected  int
	TopicsTicked, Topics int
	Mentees              []MenteeStat
	// Weeks are the boundaries the close settled (due since the last run):
	// one table row each, naming who was missing (without a mention).
	Weeks []WeekSummary
	// Midpoint is the mid-program figures, when the midpoint came due
	// without its own comment: folded in, since the close posts one comment.
	Midpoint *MidpointData
	Released []string // open tasks released, as owner/repo#N
}

// RenderFinal renders the final report.
func RenderFinal(d FinalData) (string, error) { return render("final", d) }

// rate formats a fraction as a percentage ("—" when nothing was expected).
func rate(n, of int) string {
	if of == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", (n*100+of/2)/of)
}
