package bot

import (
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/checkin"
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/progress"
	"github.com/cohortbot/cohortbot/internal/bot/roster"
	"github.com/cohortbot/cohortbot/internal/bot/schedule"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/bot/waitlists"
)

// Commands is the command registry, in the order help shows it: each
// command declared once, here, its code in its flow's package. init
// registers it with internal/bot/command, whose parsing, authorisation,
// help and the hub's command reference read it: they sit below the flows,
// so they cannot import this package.
var Commands []command.Command

func init() {
	Commands = declare()
	command.Register(Commands)
}

func declare() []command.Command {
	both, hub, task := []string{command.OnHub, command.OnMentee}, []string{command.OnHub}, []string{command.OnTask}
	return []command.Command{
		{Name: "checkin", Usage: "/checkin [@mentee]", Example: "/checkin\nAccomplishments: reviewed 3 PRs\nChallenges: CI flakes",
			Who: command.Mentee | command.Mentor, Where: both, Run: checkin.RunCheckin,
			Summary: "Records this week's check-in with the status sections; a mentor names the mentee."},
		{Name: "away", Usage: "/away [N]", Example: "/away 2", Who: command.Mentee, Where: both, Run: checkin.RunAway,
			Summary: "Excuses you from the current week, or the next N weeks (at most 2)."},
		{Name: "graduate", Usage: "/graduate @mentee [link]", Example: "/graduate @carol https://github.com/org/repo/pull/1",
			Who: command.Mentor | command.Organizer, Where: both, Fresh: true, Run: roster.RunGraduate,
			Summary: "Marks the mentee graduated (e.g. the OWNERS PR)."},
		{Name: "withdraw", Usage: "/withdraw [@mentee]", Example: "/withdraw @carol", Who: command.Self | command.Mentor | command.Organizer,
			Where: both, Fresh: true, Run: roster.RunWithdraw,
			Summary: "Withdraws the mentee; closes their issue as not planned and releases their tasks."},
		{Name: "add-mentee", Usage: "/add-mentee @x [-> @mentor]", Example: "/add-mentee @erin -> @alice", Who: command.Organizer,
			Where: hub, Fresh: true, Run: roster.RunAddMentee, Summary: "Adds a mentee (same rules as the request form)."},
		{Name: "remove-mentee", Usage: "/remove-mentee @x", Example: "/remove-mentee @erin", Who: command.Organizer,
			Where: hub, Fresh: true, Run: roster.RunRemoveMentee, Summary: "Removes a mentee from the roster."},
		{Name: "add-mentor", Usage: "/add-mentor @x", Example: "/add-mentor @frank", Who: command.Organizer,
			Where: hub, Fresh: true, Run: roster.RunAddMentor, Summary: "Adds a mentor."},
		{Name: "remove-mentor", Usage: "/remove-mentor @x", Example: "/remove-mentor @frank", Who: command.Organizer,
			Where: hub, Fresh: true, Run: roster.RunRemoveMentor, Summary: "Removes a mentor (the ratio must still hold)."},
		{Name: "skip-week", Usage: "/skip-week N", Example: "/skip-week 5", Who: command.Organizer, Where: hub, Run: checkin.RunSkipWeek,
			Summary: "Week N needs no check-ins (a holiday, a conference)."},
		{Name: "extend", Usage: "/extend YYYY-MM-DD", Example: "/extend 2027-04-30", Who: command.Organizer, Where: hub,
			Fresh: true, Run: roster.RunExtend, Summary: "Moves the end date (same rules as the form)."},
		{Name: "close-cohort", Usage: "/close-cohort", Example: "/close-cohort", Who: command.Organizer, Where: hub,
			Run: schedule.RunCloseCohort, Summary: "Closes the cohort now with the final report."},
		{Name: "reassign", Usage: "/reassign @mentee", Example: "/reassign @dave", Who: command.Mentor, Where: task,
			Run: tasks.RunReassign, Summary: "Hands the task to another mentee."},
		{Name: "pass", Usage: "/pass", Example: "/pass", Who: command.Mentee, Where: task, Run: tasks.RunPass,
			Summary: "Passes the task assigned to you on to another mentee."},
		{Name: "task-cohort", Usage: "/task-cohort <slug>", Example: "/task-cohort sig-apps-reviewers-2027", Who: command.TaskMentor,
			Where: task, Run: tasks.RunTaskCohort, Summary: "Says which cohort a task belongs to, for mentors in several cohorts."},
		{Name: "propose-cohort", Usage: "/propose-cohort <ladder step> [SIG or area]", Example: "/propose-cohort Reviewer SIG Apps",
			Who: command.Organizer, Where: []string{command.OnAny}, Run: waitlists.RunProposeCohort,
			Summary: "Opens a draft new-cohort request (`cohort/draft`) filled from the waitlist."},
		{Name: "progress", Usage: "/progress [@mentee]", Example: "/progress @carol", Who: command.Mentee | command.Mentor | command.Organizer,
			Where: both, Run: progress.RunProgress,
			Summary: "Measures ladder progress on GitHub now and replies with the figures and their searches (on the hub alone: every mentee)."},
		{Name: "cohort-help", Usage: "/cohort-help", Example: "/cohort-help", Who: command.Anyone, Where: []string{command.OnAny},
			Run: command.RunHelp, Summary: "Lists the commands you may use here."},
	}
}

// ReadmeCommandTable renders the command table as the README shows it.
func ReadmeCommandTable() string {
	var b strings.Builder
	b.WriteString("| Command | Where | Who | What it does | Example |\n|---|---|---|---|---|\n")
	for _, c := range Commands {
		b.WriteString("| `" + c.Usage + "` | " + strings.Join(c.Where, ", ") + " | " + c.WhoText() + " | " + c.Summary +
			" | `" + command.FirstLine(c.Example) + "` |\n")
	}
	return b.String()
}
