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

// Who is the set of people who may use a command. The gate in call.run
// checks it before the command runs, and the refusal, /cohort-help and the
// docs all say it in words from the same set, so they cannot disagree.
type Who uint8

// The roles of Who. What a command then does with its arguments (a mentee
// naming someone else in /checkin, /pass of a task that is not yours) is
// the command's own check, not a role.
const (
	Anyone     Who = 1 << iota
	Mentee         // an active mentee of the cohort
	Self           // a mentee of the roster (any status) about themself
	Mentor         // an active mentor of the cohort
	TaskMentor     // an active mentor of one of the task's cohorts
	Organizer      // per .github/cohortbot.yml, or write access
	allRoles   = Anyone | Mentee | Self | Mentor | TaskMentor | Organizer
)

// roleWords is each role as the docs and refusals say it, in this order.
var roleWords = []struct {
	role       Who
	doc, quote string
}{
	{Anyone, "anyone", "anyone"},
	{Mentee, "mentee", "the cohort's mentees"},
	{Self, "the mentee (self)", "the mentee themself"},
	{Mentor, "mentor", "the cohort's mentors"},
	{TaskMentor, "mentor of the task's cohort", "the mentors of the task's cohorts"},
	{Organizer, "organizer", ""}, // the refusal names the organizers of the repository
}

// Command declares one slash command once: its name, usage, example, where
// and by whom it may be used, and its code. Parsing and the misspelling
// hint (Names), authorisation (call.run), /cohort-help, the hub's command
// reference, the README table and the web /help page all read Commands.
type Command struct {
	Name    string
	Usage   string
	Example string
	Summary string
	Where   []string
	Who     Who
	// Fresh reads the cohort and roster again before authorisation: an
	// earlier command of the same comment may have changed them.
	Fresh bool
	Run   runner
}

type runner func(ctx context.Context, x *call) error

// Commands is the command registry, in the order help shows it. It is set
// in init because runHelp reads it: a composite literal would be an
// initialisation cycle.
var Commands []Command

func init() {
	Commands = declare()
	Register(Commands)
}

// registry is the table the parser, authorisation, help and rendering
// read; the composition root registers its declarations once at start.
var registry []Command

// Register sets the command table (once, from init).
func Register(cs []Command) { registry = cs }

// Registered is the command table, in the order help shows it.
func Registered() []Command { return registry }

func declare() []Command {
	both, hub, task := []string{OnHub, OnMentee}, []string{OnHub}, []string{OnTask}
	return []Command{
		{Name: "checkin", Usage: "/checkin [@mentee]", Example: "/checkin\nAccomplishments: reviewed 3 PRs\nChallenges: CI flakes",
			Who: Mentee | Mentor, Where: both, Run: runCheckin,
			Summary: "Records this week's check-in with the status sections; a mentor names the mentee."},
		{Name: "away", Usage: "/away [N]", Example: "/away 2", Who: Mentee, Where: both, Run: runAway,
			Summary: "Excuses you from the current week, or the next N weeks (at most 2)."},
		{Name: "graduate", Usage: "/graduate @mentee [link]", Example: "/graduate @carol https://github.com/org/repo/pull/1",
			Who: Mentor | Organizer, Where: both, Fresh: true, Run: runGraduate,
			Summary: "Marks the mentee graduated (e.g. the OWNERS PR)."},
		{Name: "withdraw", Usage: "/withdraw [@mentee]", Example: "/withdraw @carol", Who: Self | Mentor | Organizer,
			Where: both, Fresh: true, Run: runWithdraw,
			Summary: "Withdraws the mentee; closes their issue as not planned and releases their tasks."},
		{Name: "add-mentee", Usage: "/add-mentee @x [-> @mentor]", Example: "/add-mentee @erin -> @alice", Who: Organizer,
			Where: hub, Fresh: true, Run: runAddMentee, Summary: "Adds a mentee (same rules as the request form)."},
		{Name: "remove-mentee", Usage: "/remove-mentee @x", Example: "/remove-mentee @erin", Who: Organizer,
			Where: hub, Fresh: true, Run: runRemoveMentee, Summary: "Removes a mentee from the roster."},
		{Name: "add-mentor", Usage: "/add-mentor @x", Example: "/add-mentor @frank", Who: Organizer,
			Where: hub, Fresh: true, Run: runAddMentor, Summary: "Adds a mentor."},
		{Name: "remove-mentor", Usage: "/remove-mentor @x", Example: "/remove-mentor @frank", Who: Organizer,
			Where: hub, Fresh: true, Run: runRemoveMentor, Summary: "Removes a mentor (the ratio must still hold)."},
		{Name: "skip-week", Usage: "/skip-week N", Example: "/skip-week 5", Who: Organizer, Where: hub, Run: runSkipWeek,
			Summary: "Week N needs no check-ins (a holiday, a conference)."},
		{Name: "extend", Usage: "/extend YYYY-MM-DD", Example: "/extend 2027-04-30", Who: Organizer, Where: hub,
			Fresh: true, Run: runExtend, Summary: "Moves the end date (same rules as the form)."},
		{Name: "close-cohort", Usage: "/close-cohort", Example: "/close-cohort", Who: Organizer, Where: hub,
			Run: runCloseCohort, Summary: "Closes the cohort now with the final report."},
		{Name: "reassign", Usage: "/reassign @mentee", Example: "/reassign @dave", Who: Mentor, Where: task,
			Run: runReassign, Summary: "Hands the task to another mentee."},
		{Name: "pass", Usage: "/pass", Example: "/pass", Who: Mentee, Where: task, Run: runPass,
			Summary: "Passes the task assigned to you on to another mentee."},
		{Name: "task-cohort", Usage: "/task-cohort <slug>", Example: "/task-cohort sig-apps-reviewers-2027", Who: TaskMentor,
			Where: task, Run: runTaskCohort, Summary: "Says which cohort a task belongs to, for mentors in several cohorts."},
		{Name: "propose-cohort", Usage: "/propose-cohort <ladder step> [SIG or area]", Example: "/propose-cohort Reviewer SIG Apps",
			Who: Organizer, Where: []string{OnAny}, Run: runProposeCohort,
			Summary: "Opens a draft new-cohort request (`cohort/draft`) filled from the waitlist."},
		{Name: "progress", Usage: "/progress [@mentee]", Example: "/progress @carol", Who: Mentee | Mentor | Organizer,
			Where: both, Run: runProgress,
			Summary: "Measures ladder progress on GitHub now and replies with the figures and their searches (on the hub alone: every mentee)."},
		{Name: "cohort-help", Usage: "/cohort-help", Example: "/cohort-help", Who: Anyone, Where: []string{OnHub, OnMentee, OnTask},
			Run: runHelp, Summary: "Lists the commands you may use here."},
	}
}

// Names are the registry's command names, the only ones the misspelling
// hint suggests.
func Names() []string {
	out := make([]string, len(registry))
	for i, c := range registry {
		out[i] = c.Name
	}
	return out
}

// WhoText says the command's Who for the docs ("mentor, organizer").
func (c Command) WhoText() string {
	var words []string
	for _, r := range roleWords {
		if c.Who&r.role != 0 {
			words = append(words, r.doc)
		}
	}
	return strings.Join(words, ", ")
}

// CommandDocs returns the command reference rows of the whole table.
func CommandDocs() []templates.CommandDoc {
	out := make([]templates.CommandDoc, 0, len(registry))
	for _, c := range registry {
		out = append(out, templates.CommandDoc{Usage: c.Usage, Who: c.WhoText(), Summary: c.Summary, Example: firstLine(c.Example)})
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
		b.WriteString("| `" + c.Usage + "` | " + strings.Join(c.Where, ", ") + " | " + c.WhoText() + " | " + c.Summary +
			" | `" + firstLine(c.Example) + "` |\n")
	}
	return b.String()
}

// lookup finds a command of the table by name.
func lookup(name string) (Command, bool) {
	for _, c := range registry {
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
		if w == want || w == OnAny {
			return true
		}
	}
	return false
}
