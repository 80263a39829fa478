package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
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
	AllRoles   = Anyone | Mentee | Self | Mentor | TaskMentor | Organizer
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

type runner func(ctx context.Context, x *Call) error

// registry is the table the parser, authorisation, help and rendering
// read; the composition root registers its declarations once at start.
var registry []Command

// Register sets the command table (once, from init).
func Register(cs []Command) { registry = cs }

// Registered is the command table, in the order help shows it.
func Registered() []Command { return registry }

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
		out = append(out, templates.CommandDoc{Usage: c.Usage, Who: c.WhoText(), Summary: c.Summary, Example: FirstLine(c.Example)})
	}
	return out
}

func FirstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// Lookup finds a command of the table by name.
func Lookup(name string) (Command, bool) {
	for _, c := range registry {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// On reports whether the command may be used on an issue of role
// (store.IssueHub, store.IssueMentee, or "task").
func (c Command) On(role string) bool {
	want := map[string]string{"hub": OnHub, "mentee": OnMentee, "task": OnTask}[role]
	for _, w := range c.Where {
		if w == want || w == OnAny {
			return true
		}
	}
	return false
}

// OnAny is where a command of the mentoring repository works: on any of
// its issues, a cohort's or not.
const OnAny = "any issue"

// anywhere reports whether c works on any issue of the repository, so an
// ended cohort's issues take it too.
func (c Command) anywhere() bool {
	for _, w := range c.Where {
		if w == OnAny {
			return true
		}
	}
	return false
}

// RoleAny is the role of an issue that belongs to no cohort.
const RoleAny = "any"

// extraWords refuses words after a command whose usage takes none (such as
// `/close-cohort now`): a typo there must not act as if it were not there.
// Help answers whatever follows it.
func (c Command) extraWords(args []string) string {
	if len(args) == 0 || c.Usage != "/"+c.Name || c.Name == "cohort-help" {
		return ""
	}
	return fmt.Sprintf("`/%s` takes nothing after it, and %s is not understood; write `%s` alone. Nothing was done.",
		c.Name, cohort.Echo(strings.Join(args, " ")), c.Usage)
}
