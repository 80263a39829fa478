package demo

import (
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/harness"
)

// taskRepo is a repository of the same installation where a mentor finds a
// review task for a mentee.
const taskRepo = "example-org/website"

// tellTask: a mentor labels a pull request in another repository, the
// mentee is asked to review, the review lands and the task shows as done.
func (s *Story) tellTask() error {
	sim := s.h.Sim
	sim.AddRepo(harness.InstallationID, taskRepo, false)
	for _, u := range append(append([]string{}, mentors...), mentees...) {
		sim.SetPermission(taskRepo, u, "read")
	}
	pr := sim.OpenPR("web-contributor", taskRepo, "Docs: clarify the release calendar", "Fixes the dates table.")
	s.say("@ana-mentor labels %s#%d (a pull request in another repository) `good-first-review`.", taskRepo, pr.Number)
	sim.AddLabel("ana-mentor", taskRepo, pr.Number, "good-first-review")
	if err := s.idle(); err != nil {
		return err
	}
	said := s.botSaidIn(taskRepo, pr.Number)
	if len(said) != 1 {
		return fmt.Errorf("expected one task comment on %s#%d, got %d", taskRepo, pr.Number, len(said))
	}
	reviewers := sim.RequestedReviewers(taskRepo, pr.Number)
	s.detail("cohortbot requests a review from %v and comments once: %s", reviewers, firstLine(said[0]))
	s.detail("The PR is labelled %v; the hub's task board:", sim.Issue(taskRepo, pr.Number).Labels)
	s.printTasks(pr.Number)
	if len(reviewers) != 1 {
		return fmt.Errorf("expected one requested reviewer, got %v", reviewers)
	}

	s.say("@%s reviews the pull request.", reviewers[0])
	sim.SubmitReview(reviewers[0], taskRepo, pr.Number, "APPROVED")
	if err := s.idle(); err != nil {
		return err
	}
	s.detail("The task is done; the hub's task board:")
	s.printTasks(pr.Number)
	return nil
}

// botSaidIn returns the bot's comments on issue or PR n of repository r.
func (s *Story) botSaidIn(r string, n int) []string {
	var out []string
	for _, c := range s.h.Sim.Comments(r, n) {
		if c.User == s.h.Sim.BotLogin() {
			out = append(out, c.Body)
		}
	}
	return out
}

// printTasks prints the hub's task board line of taskRepo#n.
func (s *Story) printTasks(n int) {
	ref := fmt.Sprintf("[%s#%d]", taskRepo, n)
	for _, l := range strings.Split(s.h.Sim.Issue(repo, s.hub()).Body, "\n") {
		if strings.Contains(l, ref) {
			s.detail("  %s", l)
		}
	}
}
