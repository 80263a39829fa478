package demo

import (
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// waitlistBody renders a join-cohort or offer-mentoring submission.
func waitlistBody(kv ...string) string { return cohort.CRLF(cohort.Submission(kv...)) }

// tellWaitlist is SPEC §11: a contributor joins the waitlist, a reviewer
// offers to mentor, an organizer proposes a cohort from the waitlist and
// submits it, and the waitlisted mentee's interest is answered with her
// tracking issue.
func (s *Story) tellWaitlist() error {
	sim := s.h.Sim
	s.say("@lou files the *Join a mentoring cohort* form; @max-mentor files *Offer to mentor*.")
	lou := sim.OpenIssue("lou", repo, "Join a cohort: Reviewer", waitlistBody("Ladder step I am aiming for", "Reviewer",
		"SIGs or areas", "SIG Apps", "Time zone", "Europe/Berlin", "Notes", "_No response_"), "cohort/interest")
	offer := sim.OpenIssue("max-mentor", repo, "Offer to mentor: Reviewer", waitlistBody("Ladder step I can mentor toward", "Reviewer",
		"SIGs or areas", "SIG Apps, SIG CLI", "Time zone", "Europe/London", "Mentees I can take", "2", "Notes", "_No response_"),
		"cohort/mentor-offer")
	if err := s.idle(); err != nil {
		return err
	}
	for _, n := range []int{lou.Number, offer.Number} {
		said := s.botSaid(n)
		if len(said) != 1 {
			return fmt.Errorf("expected one comment on waitlist issue #%d, got %d", n, len(said))
		}
		s.detail("#%d labels %v: %s", n, sim.Issue(repo, n).Labels, firstLine(said[0].Body))
	}

	s.say("@%s comments `/propose-cohort Reviewer SIG Apps` on a planning issue.", organizer)
	plan := sim.OpenIssue(organizer, repo, "Next cohorts", "Who is waiting?")
	sim.Comment(organizer, repo, plan.Number, "/propose-cohort Reviewer SIG Apps")
	if err := s.idle(); err != nil {
		return err
	}
	var draft int
	for _, is := range sim.Issues(repo) {
		if contains(is.Labels, "cohort/draft") {
			draft = is.Number
			s.detail("Draft #%d %q, labels %v; the bot leaves it alone.", is.Number, is.Title, is.Labels)
		}
	}
	if draft == 0 {
		return fmt.Errorf("no draft was proposed")
	}
	return s.submitDraft(draft, lou.Number)
}

// submitDraft fills in the draft's dates and labels it cohort/request.
func (s *Story) submitDraft(draft, interest int) error {
	sim := s.h.Sim
	start := nextMonday(s.clock.Now())
	body := sim.Issue(repo, draft).Body
	body = strings.Replace(body, "### Start date\n\n_No response_", "### Start date\n\n"+start.Format("2006-01-02"), 1)
	body = strings.Replace(body, "### End date\n\n_No response_", "### End date\n\n"+start.AddDate(0, 0, 7*6-1).Format("2006-01-02"), 1)
	s.say("@%s fills in the dates and adds `cohort/request` to #%d.", organizer, draft)
	sim.EditIssueBody(organizer, repo, draft, body)
	sim.AddLabel(organizer, repo, draft, "cohort/request")
	if err := s.idle(); err != nil {
		return err
	}
	said := s.botSaid(draft)
	if len(said) != 1 {
		return fmt.Errorf("expected one comment on the submitted draft, got %d", len(said))
	}
	s.detail("#%d: %s", draft, firstLine(said[0].Body))
	is := sim.Issue(repo, interest)
	last := s.botSaid(interest)
	s.detail("@lou's interest #%d is %s (%s): %s", interest, is.State, is.StateReason, firstLine(last[len(last)-1].Body))
	return nil
}
