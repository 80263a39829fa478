package bot

import (
	"context"
	"strings"

	"github.com/cohortbot/cohortbot/templates"
)

// Where a command may be used.
const (
	OnHub    = "hub"
	OnMentee = "mentee issue"
	OnTask   = "task issue/PR"
)

// Command declares one slash command once: parsing, authorisation,
// /cohort-help, the hub's command reference and the README table all read
// this table.
type Command struct {
	Name    string
	Usage   string
	Example string
	Who     string
	Where   []string
	Summary string
}

// Commands is the command table, in the order help shows it.
var Commands = []Command{
	{Name: "checkin", Usage: "/checkin [@mentee]", Example: "/checkin\nAccomplishments: reviewed 3 PRs\nChallenges: CI flakes",
		Who: "mentee; mentor for a mentee", Where: []string{OnHub, OnMentee},
		Summary: "Records this week's check-in with the status sections."},
	{Name: "away", Usage: "/away [N]", Example: "/away 2", Who: "the mentee", Where: []string{OnHub, OnMentee},
		Summary: "Excuses you from the current week, or the next N weeks (at most 2)."},
	{Name: "graduate", Usage: "/graduate @mentee [link]", Example: "/graduate @carol https://github.com/org/repo/pull/1",
		Who: "mentor, organizer", Where: []string{OnHub, OnMentee}, Summary: "Marks the mentee graduated (e.g. the OWNERS PR)."},
	{Name: "withdraw", Usage: "/withdraw [@mentee]", Example: "/withdraw @carol", Who: "the mentee (self), mentor, organizer",
		Where: []string{OnHub, OnMentee}, Summary: "Withdraws the mentee; closes their issue as not planned and releases their tasks."},
	{Name: "add-mentee", Usage: "/add-mentee @x [-> @mentor]", Example: "/add-mentee @erin -> @alice", Who: "organizer",
		Where: []string{OnHub}, Summary: "Adds a mentee (same rules as the request form)."},
	{Name: "remove-mentee", Usage: "/remove-mentee @x", Example: "/remove-mentee @erin", Who: "organizer",
		Where: []string{OnHub}, Summary: "Removes a mentee from the roster."},
	{Name: "add-mentor", Usage: "/add-mentor @x", Example: "/add-mentor @frank", Who: "organizer",
		Where: []string{OnHub}, Summary: "Adds a mentor."},
	{Name: "remove-mentor", Usage: "/remove-mentor @x", Example: "/remove-mentor @frank", Who: "organizer",
		Where: []string{OnHub}, Summary: "Removes a mentor (the ratio must still hold)."},
	{Name: "skip-week", Usage: "/skip-week N", Example: "/skip-week 5", Who: "organizer", Where: []string{OnHub},
		Summary: "Week N needs no check-ins (a holiday, a conference)."},
	{Name: "extend", Usage: "/extend YYYY-MM-DD", Example: "/extend 2027-04-30", Who: "organizer", Where: []string{OnHub},
		Summary: "Moves the end date (same rules as the form)."},
	{Name: "close-cohort", Usage: "/close-cohort", Example: "/close-cohort", Who: "organizer", Where: []string{OnHub},
		Summary: "Closes the cohort now with the final report."},
	{Name: "reassign", Usage: "/reassign @mentee", Example: "/reassign @dave", Who: "mentor", Where: []string{OnTask},
		Summary: "Hands the task to another mentee."},
	{Name: "pass", Usage: "/pass", Example: "/pass", Who: "the assigned mentee", Where: []string{OnTask},
		Summary: "Passes the task on to another mentee."},
	{Name: "task-cohort", Usage: "/task-cohort <slug>", Example: "/task-cohort sig-apps-reviewers-2027", Who: "mentor",
		Where: []string{OnTask}, Summary: "Says which cohort a task belongs to, for mentors in several cohorts."},
	{Name: "cohort-help", Usage: "/cohort-help", Example: "/cohort-help", Who: "anyone", Where: []string{OnHub, OnMentee, OnTask},
		Summary: "Lists the commands you may use here."},
}

// CommandDocs returns the command reference rows of the whole table.
func CommandDocs() []templates.CommandDoc {
	out := make([]templates.CommandDoc, 0, len(Commands))
	for _, c := range Commands {
		out = append(out, templates.CommandDoc{Usage: c.Usage, Who: c.Who, Summary: c.Summary, Example: firstLine(c.Example)})
	}
	return out
}

func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// ReadmeCommandTable renders the command table as the README shows it.
func ReadmeCommandTable() string {
	var b strings.Builder
	b.WriteString("| Command | Where | Who | What it does | Example |\n|---|---|---|---|---|\n")
	for _, c := range Commands {
		b.WriteString("| `" + c.Usage + "` | " + strings.Join(c.Where, ", ") + " | " + c.Who + " | " + c.Summary +
			" | `" + firstLine(c.Example) + "` |\n")
	}
	return b.String()
}

// lookup finds a command of the table by name.
func lookup(name string) (Command, bool) {
	for _, c := range Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// on reports whether the command may be used on an issue of role
// (store.IssueHub, store.IssueMentee, or "task").
func (c Command) on(role string) bool {
	want := map[string]string{"hub": OnHub, "mentee": OnMentee, "task": OnTask}[role]
	for _, w := range c.Where {
		if w == want {
			return true
		}
	}
	return false
}

type runner func(ctx context.Context, x *call) error

// runnerFor is the one place that binds command names to their code.
func runnerFor(name string) runner {
	switch name {
	case "checkin":
		return runCheckin
	case "away":
		return runAway
	case "skip-week":
		return runSkipWeek
	case "cohort-help":
		return runHelp
	case "graduate":
		return runGraduate
	case "withdraw":
		return runWithdraw
	case "add-mentee":
		return runAddMentee
	case "remove-mentee":
		return runRemoveMentee
	case "add-mentor":
		return runAddMentor
	case "remove-mentor":
		return runRemoveMentor
	case "extend":
		return runExtend
	case "close-cohort":
		return runCloseCohort
	case "reassign":
		return runReassign
	case "pass":
		return runPass
	case "task-cohort":
		return runTaskCohort
	}
	return runNotYet
}
