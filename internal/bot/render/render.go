package render

import (
	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// Boards are the bot-owned regions of the hub: rendered from state by the
// check-in and task flows, empty at creation.
type Boards struct {
	Checkins string
	Tasks    string
}

// RenderHub renders the whole hub body of c. Boards default to their empty
// state.
func RenderHub(c store.Cohort, cfg config.Repo, b ...Boards) (string, error) {
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return "", err
	}
	var bd Boards
	if len(b) > 0 {
		bd = b[0]
	}
	if bd.Checkins == "" {
		rows := make([]templates.BoardRow, 0, len(c.Spec.Mentees))
		for _, m := range c.Spec.Mentees {
			rows = append(rows, templates.BoardRow{Handle: m.Handle})
		}
		bd.Checkins = templates.CheckinBoard(cal.Weeks(), rows)
	}
	if bd.Tasks == "" {
		bd.Tasks = templates.EmptyTasks(cfg.TaskLabel)
	}
	track := cfg.Track(c.Spec.Step)
	return templates.RenderHub(templates.HubData{
		CohortID:       c.ID,
		Spec:           c.Spec,
		Weeks:          weekRows(cal, c.Spec.Mentors),
		Topics:         track.Topics,
		GraduationHint: track.GraduationHint,
		CheckinBoard:   bd.Checkins,
		TaskBoard:      bd.Tasks,
		Commands:       command.CommandDocs(),
	})
}

// Facilitator returns week n's facilitator: the ((n − 1) mod M)-th of the M
// mentors in roster order.
func Facilitator(mentors []string, n int) string {
	if len(mentors) == 0 || n < 1 {
		return ""
	}
	return mentors[(n-1)%len(mentors)]
}

func weekRows(cal cohort.Calendar, mentors []string) []templates.WeekRow {
	rows := make([]templates.WeekRow, 0, cal.Weeks())
	for n := 1; n <= cal.Weeks(); n++ {
		last := cal.WeekEnd(n).AddDate(0, 0, -1)
		rows = append(rows, templates.WeekRow{
			N:           n,
			Start:       cohort.DateOf(cal.WeekStart(n)).String(),
			End:         cohort.DateOf(last).String(),
			Facilitator: Facilitator(mentors, n),
		})
	}
	return rows
}

// RenderMentee renders a mentee's tracking issue body.
func RenderMentee(c store.Cohort, cfg config.Repo, m cohort.Mentee, log, tasks string) (string, error) {
	if log == "" {
		log = templates.EmptyLog
	}
	if tasks == "" {
		tasks = templates.EmptyTasks(cfg.TaskLabel)
	}
	sections := append(append([]string{}, cfg.Checkin.Sections...), cfg.Checkin.OptionalSections...)
	return templates.RenderMentee(templates.MenteeData{
		CohortID: c.ID, Spec: c.Spec, Handle: m.Handle, Mentor: m.Mentor,
		HubNumber: c.HubNumber, Sections: sections, Log: log, Tasks: tasks,
	})
}

// MenteeAbout renders the "about" region of mentee m's issue (the cohort,
// its dates, the paired mentor) from the stored spec.
func MenteeAbout(c store.Cohort, m cohort.Mentee) (string, error) {
	return templates.RenderMenteeAbout(templates.MenteeData{
		CohortID: c.ID, Spec: c.Spec, Handle: m.Handle, Mentor: m.Mentor, HubNumber: c.HubNumber,
	})
}

// hubRoster renders the hub's roster region (summary, roster, schedule) from
// the stored spec, which roster commands keep current, with each mentee's
// ladder progress (nil: none measured yet).
func hubRoster(c store.Cohort, progress map[string]string) (string, error) {
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return "", err
	}
	return templates.RenderHubRoster(templates.HubData{CohortID: c.ID, Spec: c.Spec, Weeks: weekRows(cal, c.Spec.Mentors), Progress: progress})
}
