package demo

import (
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

var (
	mentors = []string{"ana-mentor", "bo-mentor", "cy-mentor"}
	mentees = []string{"dee", "eli", "fay", "gus", "hal", "ivy", "jon", "kim"}
)

// requestBody renders the new-cohort form as GitHub renders a submission.
func (s *Story) requestBody(fields map[string]string) string {
	// Bodies submitted from the web carry CRLF line endings.
	return cohort.CRLF(cohort.SubmissionOf(cohort.FormFields, fields))
}

func (s *Story) fields() map[string]string {
	menteeLines := []string{"@dee -> @ana-mentor", "@eli -> @ana-mentor", "@fay -> @bo-mentor", "@gus -> @bo-mentor", "@hal -> @cy-mentor", "@ivy", "@jon", "@kim"}
	return map[string]string{
		"Cohort name":   "SIG Apps reviewers " + s.start.Format("2006"),
		"Ladder step":   "Reviewer",
		"SIGs or areas": "SIG Apps, SIG CLI",
		"Mentors":       "@" + strings.Join(mentors, "\n@"),
		"Mentees":       strings.Join(menteeLines, "\n"),
		"Start date":    s.start.Format("2006-01-02"),
		"End date":      s.start.AddDate(0, 0, 7*10-1).Format("2006-01-02"),
		"Check-in day":  "Monday",
		"Time zone":     "UTC",
		"Chat channel":  "#cohort-sig-apps",
		"Notes":         "Standups on Mondays in the chat channel; mentors rotate as facilitator.",
	}
}

// tell is the story itself.
func (s *Story) tell() error {
	sim := s.h.Sim
	sim.SetPermission(repo, organizer, "write")
	for _, u := range append(append([]string{}, mentors...), mentees...) {
		sim.SetPermission(repo, u, "read")
	}
	s.setLadderConfig()
	fmt.Fprintf(s.w, "cohortbot demo: a simulated GitHub at %s, cohortbot serving at %s (SQLite in a temp dir).\n", sim.URL(), s.h.URL)

	bad := s.fields()
	bad["Mentors"] = "@ana-mentor"
	bad["Mentees"] = "@dee\n@dee\n@ana-mentor\n@eli\n@not_a_handle!"
	bad["End date"] = s.start.AddDate(0, 0, 13).Format("2006-01-02")
	bad["Time zone"] = "Mars/Olympus_Mons"
	s.say("@%s files a new-cohort request from the issue form, with mistakes.", organizer)
	req := sim.OpenIssue(organizer, repo, "New cohort: "+s.fields()["Cohort name"], s.requestBody(bad), "cohort/request")
	if err := s.idle(); err != nil {
		return err
	}
	report := s.botSaid(req.Number)
	if len(report) != 1 {
		return fmt.Errorf("expected one validation comment, got %d", len(report))
	}
	s.detail("cohortbot replies on #%d and labels it %v:", req.Number, sim.Issue(repo, req.Number).Labels)
	for _, l := range strings.Split(report[0].Body, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Field") {
			s.detail("  %s", l)
		}
	}

	s.say("@%s fixes the request by editing the issue.", organizer)
	sim.EditIssueBody(organizer, repo, req.Number, s.requestBody(s.fields()))
	if err := s.idle(); err != nil {
		return err
	}
	after := s.botSaid(req.Number)
	s.detail("The same comment (id %d, still %d bot comment) now says: %s", after[0].ID, len(after), firstLine(after[0].Body))
	r := sim.Issue(repo, req.Number)
	s.detail("Request #%d is %s (%s), labels %v.", r.Number, r.State, r.StateReason, r.Labels)
	for _, is := range sim.Issues(repo) {
		if is.Number != req.Number {
			s.detail("Created #%d %q, labels %v, assigned to %v", is.Number, is.Title, is.Labels, is.Assignees)
		}
	}
	for _, step := range []func() error{s.tellCheckins, s.tellTask, s.tellLadderWork, s.tellWeeks,
		s.tellLadderOutcome, s.tellGraduation, s.tellClose, s.tellWaitlist} {
		if err := step(); err != nil {
			return err
		}
	}
	return s.writeIssues()
}
