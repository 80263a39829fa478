package demo

import (
	"fmt"
	"strings"
)

// ladderConfig is the demo's .github/cohortbot.yml: the Reviewer track's
// ladder requirements lowered so a mentee reaches them within the story
// (SPEC §10; the defaults are Kubernetes' 20 reviews). Every other key keeps
// its default.
const ladderConfig = "tracks:\n  reviewer:\n    requirements: {reviewed_prs: 3, merged_prs: 1}\n"

// setLadderConfig writes the demo's repository config before the story.
func (s *Story) setLadderConfig() {
	s.h.Sim.PutFile(repo, ".github/cohortbot.yml", ladderConfig)
}

// tellLadderWork: @dee reviews three pull requests in another repository
// of the organization and gets one of her own merged; the next week
// boundary measures it.
func (s *Story) tellLadderWork() error {
	sim := s.h.Sim
	s.say("Ladder progress: .github/cohortbot.yml asks Reviewer mentees for 3 PRs reviewed and 1 merged, in example-org.")
	for _, title := range []string{"Clarify the release notes", "Add a kubectl example", "Fix flaky e2e test"} {
		pr := sim.OpenPR("zed-contributor", taskRepo, title, "")
		sim.SubmitReview("dee", taskRepo, pr.Number, "APPROVED")
	}
	own := sim.OpenPR("dee", taskRepo, "Fix a typo in the contributor guide", "")
	sim.ClosePR("bo-mentor", taskRepo, own.Number, true)
	s.detail("@dee reviews three pull requests in %s and gets one of her own merged.", taskRepo)
	return s.idle()
}

// tellLadderOutcome shows what the week boundaries measured: @dee's Ladder
// progress region, ladder/ready and the one comment to her mentor, and the
// hub roster's figures.
func (s *Story) tellLadderOutcome() error {
	n := s.issueOf("dee")
	is := s.h.Sim.Issue(repo, n)
	if !contains(is.Labels, "ladder/ready") {
		return fmt.Errorf("@dee's issue #%d lacks ladder/ready: %v", n, is.Labels)
	}
	s.say("At the week boundary cohortbot measured every mentee's ladder progress with GitHub's search.")
	s.detail("@dee's issue #%d is labelled ladder/ready; its Ladder progress region:", n)
	for _, l := range strings.Split(is.Body, "\n") {
		if strings.HasPrefix(l, "| PRs ") {
			s.detail("  %s", l[:strings.Index(l, "[search]")]+"search link |")
		}
	}
	ready := 0
	for _, c := range s.botSaid(n) {
		if strings.Contains(c.Body, "cohortbot:ladder-ready") {
			ready++
			s.detail("cohortbot comments once: %s", firstLine(c.Body))
		}
	}
	if ready != 1 {
		return fmt.Errorf("%d ready comments on @dee's issue, want 1", ready)
	}
	for _, l := range strings.Split(s.h.Sim.Issue(repo, s.hub()).Body, "\n") {
		if (strings.HasPrefix(l, "| @dee |") || strings.HasPrefix(l, "| @eli |")) && strings.Contains(l, "reviewed ") {
			s.detail("Hub roster: %s", l)
		}
	}
	return nil
}
