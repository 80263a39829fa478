package bottest

import (
	"github.com/cohortbot/cohortbot/internal/bot/waitlists"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// InterestForm renders a join-cohort.yml submission as GitHub does.
func InterestForm(step, areas, tz string) string {
	return cohort.CRLF(cohort.Submission("Ladder step I am aiming for", step, "SIGs or areas", areas, "Time zone", tz, "Notes", ""))
}

// OfferForm renders an offer-mentoring.yml submission as GitHub does.
func OfferForm(step, areas, tz, capacity string) string {
	return cohort.CRLF(cohort.Submission("Ladder step I can mentor toward", step, "SIGs or areas", areas, "Time zone", tz,
		"Mentees I can take", capacity, "Notes", ""))
}

// Join files an interest (cohort/interest) as who and runs the waitlist
// flow on it, as an issues.opened delivery would.
func (w *World) Join(who, step, areas, tz string) *ghsim.Issue {
	w.T.Helper()
	return w.OpenWaitlist(who, "Join a cohort: "+who, InterestForm(step, areas, tz), "cohort/interest")
}

// Offer files a mentor offer (cohort/mentor-offer) as who and runs the
// waitlist flow on it.
func (w *World) Offer(who, step, areas, tz, capacity string) *ghsim.Issue {
	w.T.Helper()
	return w.OpenWaitlist(who, "Offer to mentor: "+who, OfferForm(step, areas, tz, capacity), "cohort/mentor-offer")
}

// OpenWaitlist opens an issue as author and runs the waitlist flow on it.
func (w *World) OpenWaitlist(author, title, body string, labels ...string) *ghsim.Issue {
	w.T.Helper()
	is := w.Sim.OpenIssue(author, w.Repo, title, body, labels...)
	w.Rewaitlist(is.Number, "opened")
	return w.Sim.Issue(w.Repo, is.Number)
}

// Rewaitlist runs the waitlist flow on issue number as it is now, with
// action (opened, edited, closed…: a redelivery, an edit, a close).
func (w *World) Rewaitlist(number int, action string) {
	w.T.Helper()
	is := w.Sim.Issue(w.Repo, number)
	err := waitlists.HandleWaitlist(w.Ctx, w.Env, w.GitHub, w.Config, waitlists.WaitlistEvent{
		Installation: Installation, Repo: w.Repo, IssueID: is.ID, Number: is.Number, Body: is.Body,
		Labels: is.Labels, State: is.State, Action: action, Author: is.User, CreatedAt: is.CreatedAt,
	})
	if err != nil {
		w.T.Fatalf("waitlist flow on #%d (%s): %v", number, action, err)
	}
	w.Settle()
}
