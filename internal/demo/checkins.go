package demo

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// issueOf finds the tracking issue of a mentee.
func (s *Story) issueOf(handle string) int {
	for _, is := range s.h.Sim.Issues(repo) {
		if len(is.Assignees) == 1 && is.Assignees[0] == handle && strings.Contains(is.Title, "progress") {
			return is.Number
		}
	}
	return 0
}

func (s *Story) hub() int {
	for _, is := range s.h.Sim.Issues(repo) {
		if strings.HasPrefix(is.Title, "Cohort: ") {
			return is.Number
		}
	}
	return 0
}

func (s *Story) reactionsOn(issue int, id int64) []string {
	var out []string
	for _, c := range s.h.Sim.Comments(repo, issue) {
		if c.ID == id {
			for _, r := range c.Reactions {
				out = append(out, r.Content)
			}
		}
	}
	return out
}

// tick runs the scheduler as of at, as `cohortbot tick --at` would.
func (s *Story) tick(at time.Time) error {
	s.clock.Set(at)
	if _, err := s.h.Server.Deps.Tick(context.Background(), at); err != nil {
		return err
	}
	return s.idle()
}

// lastBotComment returns the newest bot comment on an issue.
func (s *Story) lastBotComment(issue int) string {
	cs := s.botSaid(issue)
	if len(cs) == 0 {
		return ""
	}
	return cs[len(cs)-1].Body
}

func (s *Story) tellCheckins() error {
	sim := s.h.Sim
	day := s.start.Add(26 * time.Hour) // Tuesday of week 1
	s.clock.Set(day)
	s.say("Week 1: mentees check in on their tracking issues.")
	for _, m := range []string{"eli", "fay", "gus", "hal", "ivy"} {
		sim.CommentAt(m, repo, s.issueOf(m), "/checkin\nAccomplishments: reviewed my first PR\nChallenges: finding good first reviews\nNext steps: pair with my mentor", day)
	}
	c := sim.CommentAt("dee", repo, s.issueOf("dee"), "/checkin\nAccomplishments: read the reviewer guide", day)
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("@dee's check-in lacks Challenges: the bot reacts %v and replies:", s.reactionsOn(s.issueOf("dee"), c.ID))
	s.detail("  %s", firstLine(s.lastBotComment(s.issueOf("dee"))))
	sim.EditComment("dee", repo, c.ID, "/checkin\nAccomplishments: read the reviewer guide\nChallenges: too many notifications")
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("@dee edits the comment; reactions now %v, labels %v", s.reactionsOn(s.issueOf("dee"), c.ID), sim.Issue(repo, s.issueOf("dee")).Labels)
	sim.CommentAt("ana-mentor", repo, s.hub(), "/checkin @kim\nAccomplishments: gave her update in the standup\nChallenges: none", day)
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("@ana-mentor checks in for @kim from the chat standup. @jon stays quiet.")
	s.detail("The hub's check-in board:")
	s.printBoard()

	s.say("Week 1 ends; the scheduler runs (`cohortbot tick --at %s`).", s.start.AddDate(0, 0, 7).Add(9*time.Hour).Format(time.RFC3339))
	if err := s.tick(s.start.AddDate(0, 0, 7).Add(9 * time.Hour)); err != nil {
		return err
	}
	for _, l := range strings.Split(s.lastBotComment(s.hub()), "\n") {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "<!--") {
			s.detail("  %s", l)
		}
	}
	s.detail("@jon's issue is now labelled %v", sim.Issue(repo, s.issueOf("jon")).Labels)
	return nil
}

func (s *Story) printBoard() {
	for _, l := range strings.Split(s.h.Sim.Issue(repo, s.hub()).Body, "\n") {
		if strings.HasPrefix(l, "| @") && strings.Count(l, "|") > 8 {
			s.detail("  %s", l)
		}
	}
}

// tellGraduation has a mentor record a graduation: the OWNERS PR merged.
func (s *Story) tellGraduation() error {
	at := s.start.AddDate(0, 0, 7*8).Add(10 * time.Hour)
	s.clock.Set(at)
	s.say("Week 9: @dee's OWNERS PR merges; @ana-mentor comments `/graduate @dee https://github.com/example-org/website/pull/2` on the hub.")
	c := s.h.Sim.CommentAt("ana-mentor", repo, s.hub(), "/graduate @dee https://github.com/example-org/website/pull/2", at)
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("Reactions %v; @dee's issue is labelled %v", s.reactionsOn(s.hub(), c.ID), s.h.Sim.Issue(repo, s.issueOf("dee")).Labels)
	return nil
}

// tellClose jumps to the end date and prints the final report.
func (s *Story) tellClose() error {
	end := s.start.AddDate(0, 0, 7*10).Add(time.Hour)
	s.say("Ten weeks later the end date passes; the next tick closes the cohort.")
	if err := s.tick(end); err != nil {
		return err
	}
	hub := s.h.Sim.Issue(repo, s.hub())
	s.detail("Hub #%d is %s, labels %v. The final report:", hub.Number, hub.State, hub.Labels)
	report := s.lastBotComment(s.hub())
	for _, l := range strings.Split(report, "\n") {
		if !strings.HasPrefix(l, "<!--") {
			fmt.Fprintf(s.w, "     %s\n", l)
		}
	}
	return nil
}
