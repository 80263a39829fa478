package e2e

import (
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// interestForm renders a join-cohort.yml submission as GitHub does.
func interestForm(step, areas, tz string) string {
	return renderForm([]string{"Ladder step I am aiming for", step, "SIGs or areas", areas, "Time zone", tz, "Notes", ""})
}

// offerForm renders an offer-mentoring.yml submission as GitHub does.
func offerForm(step, areas, tz, capacity string) string {
	return renderForm([]string{"Ladder step I can mentor toward", step, "SIGs or areas", areas, "Time zone", tz,
		"Mentees I can take", capacity, "Notes", ""})
}

func renderForm(kv []string) string { return cohort.CRLF(cohort.Submission(kv...)) }

// join files an interest as who and waits for the bot.
func (e *env) join(who, step, areas, tz string) *ghsim.Issue {
	e.t.Helper()
	is := e.Sim.OpenIssue(who, repo, "Join a cohort: "+who, interestForm(step, areas, tz), "cohort/interest")
	e.idle()
	return e.Sim.Issue(repo, is.Number)
}

// offer files a mentor offer as who and waits for the bot.
func (e *env) offer(who, step, areas, tz, capacity string) *ghsim.Issue {
	e.t.Helper()
	is := e.Sim.OpenIssue(who, repo, "Offer to mentor: "+who, offerForm(step, areas, tz, capacity), "cohort/mentor-offer")
	e.idle()
	return e.Sim.Issue(repo, is.Number)
}

// onlyComment returns the bot's one comment on issue n, failing the test
// when there is not exactly one.
func (e *env) onlyComment(t *testing.T, n int) string {
	t.Helper()
	cs := e.botComments(n)
	if len(cs) != 1 {
		var bodies []string
		for _, c := range cs {
			bodies = append(bodies, c.Body)
		}
		t.Fatalf("issue #%d has %d bot comments, want 1: %q", n, len(cs), bodies)
	}
	return cs[0].Body
}

func wantLabels(t *testing.T, is *ghsim.Issue, want []string, not []string) {
	t.Helper()
	for _, l := range want {
		if !has(is.Labels, l) {
			t.Errorf("#%d labels %v lack %s", is.Number, is.Labels, l)
		}
	}
	for _, l := range not {
		if has(is.Labels, l) {
			t.Errorf("#%d labels %v hold %s", is.Number, is.Labels, l)
		}
	}
}

func wantIn(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}

func wantNotIn(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%s holds %q:\n%s", what, sub, s)
		}
	}
}
