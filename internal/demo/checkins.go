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
	s.printWhole(s.lastBotComment(s.issueOf("dee")))
	sim.EditComment("dee", repo, c.ID, "/checkin\nAccomplishments: read the reviewer guide\nChallenges: too many notifications")
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("@dee edits the comment; reactions now %v, labels %v", s.reactionsOn(s.issueOf("dee"), c.ID), sim.Issue(repo, s.issueOf("dee")).Labels)
	sim.CommentAt("ana-mentor", repo, s.hub(), "/checkin @kim\nAccomplishments: gave her update in the standup\nChallenges: none", day)
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("@ana-mentor checks in for @kim from the chat standup.")
	sim.CommentAt("jon", repo, s.issueOf("jon"), "/check-in\nAccomplishments: set up my dev environment", day)
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("@jon types `/check-in` (not a cohortbot command); the bot replies, and nothing is recorded:")
	s.printWhole(s.lastBotComment(s.issueOf("jon")))
	s.detail("@jon does not come back to it this week.")
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

// printWhole prints a bot comment as it reads on GitHub, without the hidden
// markers the bot keeps in it.
func (s *Story) printWhole(body string) {
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "<!--") {
			s.detail("  | %s", l)
		}
	}
}

func (s *Story) printBoard() {
	for _, l := range strings.Split(s.h.Sim.Issue(repo, s.hub()).Body, "\n") {
		if strings.HasPrefix(l, "| @") && strings.Count(l, "|") > 8 {
			s.detail("  %s", l)
		}
	}
}

// graduations are the mentors' /graduate comments of week 10: the mentees'
// OWNERS pull requests merged (the seed's pilot graduated 5 of 10).
var graduations = []struct{ mentor, mentee string }{
	{"ana-mentor", "dee"}, {"ana-mentor", "eli"}, {"bo-mentor", "fay"}, {"bo-mentor", "gus"},
}

// tellGraduation has mentors record graduations: the OWNERS PRs merged.
func (s *Story) tellGraduation() error {
	at := s.weekStart(10).Add(10 * time.Hour)
	s.clock.Set(at)
	s.say("Week 10: four OWNERS pull requests merge; the mentors record the graduations on the hub.")
	for i, g := range graduations {
		link := fmt.Sprintf("https://github.com/example-org/website/pull/%d", 10+i)
		c := s.h.Sim.CommentAt(g.mentor, repo, s.hub(), fmt.Sprintf("/graduate @%s %s", g.mentee, link), at)
		if err := s.idle(); err != nil {
			return err
		}
		s.detail("@%s: `/graduate @%s %s` → reactions %v; @%s's issue gets %v", g.mentor, g.mentee, link,
			s.reactionsOn(s.hub(), c.ID), g.mentee, s.labelsLike(s.issueOf(g.mentee), "outcome/graduated"))
	}
	return s.playWeek(10, weekPlan{})
}

// tellClose jumps to the end date and prints the final report.
func (s *Story) tellClose() error {
	end := s.weekStart(11).Add(time.Hour)
	s.say("The end date passes; the next tick (`cohortbot tick --at %s`) closes the cohort.", end.Format(time.RFC3339))
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
