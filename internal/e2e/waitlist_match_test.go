package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// TestWaitlistMatchingAndCreation: a request's validation comment lists
// the waitlisted people of its ladder step sharing a SIG or area, not on
// its roster, oldest first, with time zones; when the cohort is created,
// each roster member's interest or offer gets one comment linking their
// tracking issue (a mentee) or the hub (a mentor) and is closed as
// completed, exactly once across redeliveries.
func TestWaitlistMatchingAndCreation(t *testing.T) {
	start(t, func(e *env) {
		mia := e.join("mia", "Reviewer", "SIG Apps", "Europe/Berlin")            // on the roster
		uma := e.join("uma", "Reviewer", "sig cli", "Asia/Tokyo")                // matches
		vic := e.join("vic", "Reviewer", "SIG Storage", "UTC")                   // no shared area
		wes := e.join("wes", "Approver", "SIG Apps", "UTC")                      // another step
		cy := e.offer("mentor-cy", "Reviewer", "SIG Apps", "UTC", "")            // on the roster
		xena := e.offer("xena", "Reviewer", "SIG Apps", "America/New_York", "2") // matches
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(), "End date", "")), "cohort/request")
		e.idle()
		report := e.onlyComment(t, req.Number)
		wantIn(t, "the report", report, "End date", "#### From the waitlist",
			"| mentee | `@uma` | Asia/Tokyo | sig cli |", "| mentor (up to 2) | `@xena` | America/New_York |")
		wantNotIn(t, "the report", report, "`@mia`", "`@vic`", "`@wes`", "`@mentor-cy`")
		if strings.Index(report, "`@uma`") > strings.Index(report, "`@xena`") {
			t.Error("the section is not oldest first")
		}

		e.Sim.EditIssueBody(organizer, repo, req.Number, form(validFields()))
		e.idle()
		f := fixture(e)
		created := e.onlyComment(t, req.Number)
		wantIn(t, "the success comment", created, "Cohort created", "From the waitlist", "`@uma`", "`@xena`")
		wantNotIn(t, "the success comment", created, "`@mia`")

		m := e.Sim.Issue(repo, mia.Number)
		if m.State != "closed" || m.StateReason != "completed" {
			t.Errorf("mia's interest is %s/%s, want closed/completed", m.State, m.StateReason)
		}
		cs := e.botComments(mia.Number)
		if len(cs) != 2 || !strings.Contains(cs[1].Body, "your tracking issue is #"+strconv.Itoa(f.mentees["mia"])) {
			t.Fatalf("mia's interest comments %d, want the acceptance and one link to #%d", len(cs), f.mentees["mia"])
		}
		c := e.Sim.Issue(repo, cy.Number)
		ccs := e.botComments(cy.Number)
		if c.State != "closed" || len(ccs) != 2 || !strings.Contains(ccs[1].Body, "its hub is #"+strconv.Itoa(f.hub)) {
			t.Errorf("mentor-cy's offer is %s with %d comments, want closed with a link to the hub #%d", c.State, len(ccs), f.hub)
		}
		for _, n := range []int{uma.Number, vic.Number, wes.Number, xena.Number} {
			if is := e.Sim.Issue(repo, n); is.State != "open" || len(e.botComments(n)) != 1 {
				t.Errorf("#%d (%s) is %s with %d comments; people not on the roster stay waiting", n, is.User, is.State, len(e.botComments(n)))
			}
		}

		for _, d := range e.Sim.Deliveries() {
			e.Sim.Redeliver(d.ID)
		}
		e.idle()
		if n := len(e.botComments(mia.Number)); n != 2 {
			t.Errorf("after redelivering everything mia's interest has %d bot comments, want 2", n)
		}
		if n := len(e.botComments(cy.Number)); n != 2 {
			t.Errorf("after redelivering everything the offer has %d bot comments, want 2", n)
		}
		if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
			t.Errorf("%d hubs", n)
		}
	})
}

// fixture reads the created cohort's hub and mentee issues.
func fixture(e *env) cohortFixture {
	e.t.Helper()
	f := cohortFixture{mentees: map[string]int{}}
	hubs := e.issuesWithLabel("cohort/hub")
	if len(hubs) != 1 {
		e.t.Fatalf("%d hubs", len(hubs))
	}
	f.hub = hubs[0].Number
	for _, m := range e.issuesWithLabel("cohort/mentee") {
		f.mentees[m.Assignees[0]] = m.Number
	}
	return f
}

// TestWaitlistMoreThanTwenty: the section lists at most 20 and says how
// many more wait.
func TestWaitlistMoreThanTwenty(t *testing.T) {
	start(t, func(e *env) {
		for i := 0; i < 23; i++ {
			e.Sim.OpenIssue("waiter-"+strconv.Itoa(i), repo, "Join", interestForm("Reviewer", "SIG Apps", "UTC"))
		}
		e.idle()
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(), "End date", "")), "cohort/request")
		e.idle()
		report := e.onlyComment(t, req.Number)
		if n := strings.Count(report, "| mentee | `@waiter-"); n != 20 {
			t.Errorf("%d rows, want 20", n)
		}
		wantIn(t, "the report", report, "…and 3 more on the waitlist.")
	})
}

// TestWaitlistLeaving: closing, deleting or transferring an interest takes
// it off the waitlist; an issue that vanished without a webhook is found
// gone when the cohort is created, which still completes without an error
// loop.
func TestWaitlistLeaving(t *testing.T) {
	start(t, func(e *env) {
		closed := e.join("uma", "Reviewer", "SIG Apps", "UTC")
		deleted := e.join("vic", "Reviewer", "SIG Apps", "UTC")
		moved := e.join("wes", "Reviewer", "SIG Apps", "UTC")
		stays := e.join("xena", "Reviewer", "SIG Apps", "UTC")
		vanished := e.join("mia", "Reviewer", "SIG Apps", "UTC")
		e.Sim.CloseIssue("uma", repo, closed.Number, "not_planned")
		e.Sim.DeleteIssue(organizer, repo, deleted.Number)
		e.Sim.TransferIssue(organizer, repo, moved.Number, "kubernetes/other")
		e.Sim.VanishIssue(repo, vanished.Number)
		e.idle()
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(), "End date", "")), "cohort/request")
		e.idle()
		report := e.onlyComment(t, req.Number)
		wantIn(t, "the report", report, "`@xena`")
		wantNotIn(t, "the report", report, "`@uma`", "`@vic`", "`@wes`")
		if is := e.Sim.Issue(repo, stays.Number); is.State != "open" {
			t.Error("xena's interest was touched")
		}

		// mia is on the roster; her interest is gone from GitHub.
		e.Sim.EditIssueBody(organizer, repo, req.Number, form(validFields()))
		e.idle()
		if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
			t.Fatalf("%d hubs; a vanished interest must not stop the cohort", n)
		}
		wantIn(t, "the success comment", e.onlyComment(t, req.Number), "Cohort created")
		// The vanished interest left the waitlist: another request does not list mia.
		other := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(),
			"Cohort name", "Other", "Mentees", "@noah", "End date", "")), "cohort/request")
		e.idle()
		report = e.onlyComment(t, other.Number)
		wantIn(t, "the other report", report, "`@xena`")
		wantNotIn(t, "the other report", report, "`@mia`")
	})
}
