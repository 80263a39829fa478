package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProposeCohort: an organizer's /propose-cohort on any issue opens one
// draft new-cohort request filled from the waitlist — the oldest matching
// mentees of one time-zone group, enough mentor offers — that the bot does
// not act on, even when edited, until an organizer adds cohort/request;
// then the cohort is created and the waitlisted mentee's interest is
// answered with her tracking issue and closed.
func TestProposeCohort(t *testing.T) {
	start(t, func(e *env) {
		mia := e.join("mia", "Reviewer", "SIG Apps", "Europe/Berlin")
		e.join("noah", "Reviewer", "SIG Apps, SIG CLI", "Europe/Paris")
		e.join("olga", "Reviewer", "SIG Apps", "America/Los_Angeles") // 9 hours from the others
		e.join("pete", "Reviewer", "SIG Apps", "Africa/Lagos")
		e.join("quinn", "Approver", "SIG Apps", "Europe/Berlin") // another step
		ann := e.offer("mentor-ann", "Reviewer", "SIG Apps", "Europe/London", "3")
		plain := e.Sim.OpenIssue(organizer, repo, "Planning", "Let us form the next cohorts.")
		e.idle()
		before := len(e.Sim.Issues(repo))
		cmt := e.Sim.Comment(organizer, repo, plain.Number, "/propose-cohort Reviewer SIG Apps")
		e.idle()
		drafts := e.issuesWithLabel("cohort/draft")
		if len(drafts) != 1 || len(e.Sim.Issues(repo)) != before+1 {
			t.Fatalf("%d drafts, %d new issues; want one draft", len(drafts), len(e.Sim.Issues(repo))-before)
		}
		d := drafts[0]
		if d.Title != "New cohort: Reviewer SIG Apps (proposed)" || has(d.Labels, "cohort/request") {
			t.Errorf("draft %q labelled %v", d.Title, d.Labels)
		}
		wantIn(t, "the draft", d.Body, "### Ladder step\n\nReviewer", "### Mentors\n\n@mentor-ann",
			"### Mentees\n\n@mia\n@noah\n@pete\n\n", "### Start date\n\n_No response_", "1 more matching mentee")
		wantNotIn(t, "the draft", d.Body, "@olga", "@quinn")
		wantIn(t, "the reply", e.onlyComment(t, plain.Number), "proposed #"+strconv.Itoa(d.Number))

		// The draft is not a request: an organizer's edit gets no answer.
		dated := strings.Replace(strings.Replace(d.Body, "### Start date\n\n_No response_", "### Start date\n\n2027-01-11", 1),
			"### End date\n\n_No response_", "### End date\n\n2027-03-21", 1)
		e.Sim.EditIssueBody(organizer, repo, d.Number, dated)
		e.Sim.Redeliver(findDelivery(e, cmt.ID))
		e.idle()
		if n := len(e.botComments(d.Number)); n != 0 || len(e.issuesWithLabel("cohort/hub")) != 0 {
			t.Fatalf("the bot answered the draft (%d comments) or created a cohort", n)
		}
		if n := len(e.issuesWithLabel("cohort/draft")); n != 1 {
			t.Errorf("%d drafts after redelivering the command, want 1", n)
		}

		e.Sim.AddLabel(organizer, repo, d.Number, "cohort/request")
		e.idle()
		f := fixture(e)
		m := e.Sim.Issue(repo, mia.Number)
		if m.State != "closed" || !strings.Contains(e.botComments(mia.Number)[1].Body, "#"+strconv.Itoa(f.mentees["mia"])) {
			t.Errorf("mia's interest is %s; want it closed with a link to her tracking issue #%d", m.State, f.mentees["mia"])
		}
		if a := e.Sim.Issue(repo, ann.Number); a.State != "closed" {
			t.Error("mentor-ann's offer is still open")
		}
	})
}

func findDelivery(e *env, commentID int64) string {
	e.t.Helper()
	for _, d := range e.Sim.Deliveries() {
		if d.Event == "issue_comment" && strings.Contains(string(d.Payload), `"id":`+strconv.FormatInt(commentID, 10)) {
			return d.ID
		}
	}
	e.t.Fatalf("no delivery of comment %d", commentID)
	return ""
}

// TestProposeCohortRefusals: a non-organizer is refused, an unknown ladder
// step is refused, and too few matches are answered with what is missing;
// none of them opens anything.
func TestProposeCohortRefusals(t *testing.T) {
	tests := []struct {
		name, who, cmd string
		want           []string
	}{
		{"not an organizer", "mia", "/propose-cohort Reviewer", []string{"only", "may use `/propose-cohort`"}},
		{"unknown step", organizer, "/propose-cohort Wizard SIG Apps", []string{"needs a ladder step first", "Subproject owner"}},
		{"no step at all", organizer, "/propose-cohort", []string{"needs a ladder step first"}},
		{"no mentee for the step", organizer, "/propose-cohort Approver", []string{"no mentee on the waitlist aims for Approver"}},
		{"no mentee in the area", organizer, "/propose-cohort Reviewer SIG Storage", []string{"aims for Reviewer in SIG Storage"}},
		{"too few mentors", organizer, "/propose-cohort Member", []string{"2 mentees match", "only 0 mentor offers", "at least 1 mentor with room for every mentee"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start(t, func(e *env) {
				e.join("mia", "Reviewer", "SIG Apps", "UTC")
				e.join("noah", "Member", "SIG Apps", "UTC")
				e.join("olga", "Member", "SIG Docs", "UTC")
				e.offer("mentor-ann", "Reviewer", "SIG Apps", "UTC", "")
				plain := e.Sim.OpenIssue(organizer, repo, "Planning", "Cohorts?")
				e.idle()
				before := len(e.Sim.Issues(repo))
				e.Sim.Comment(tt.who, repo, plain.Number, tt.cmd)
				e.idle()
				wantIn(t, "the reply", e.onlyComment(t, plain.Number), tt.want...)
				if n := len(e.Sim.Issues(repo)) - before; n != 0 {
					t.Errorf("%d issues opened", n)
				}
			})
		})
	}
}

// TestProposeCohortOnAnEndedHub: /propose-cohort works on any issue, an
// ended cohort's hub included (where other commands are refused), and the
// waitlisted mentee it proposes is one who is not in a running cohort.
func TestProposeCohortOnAnEndedHub(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.command(organizer, f.hub, "/close-cohort", week1)
		e.join("uma", "Reviewer", "SIG Apps", "UTC")
		e.offer("mentor-ann", "Reviewer", "SIG Apps", "UTC", "")
		c := e.command(organizer, f.hub, "/propose-cohort Reviewer", week1.Add(time.Hour))
		reacts, reply := e.answer(f.hub, c)
		if !has(reacts, "+1") || !strings.Contains(reply, "proposed #") {
			t.Fatalf("on the ended hub: reactions %v, reply %q; want 👍 and a proposal", reacts, reply)
		}
		drafts := e.issuesWithLabel("cohort/draft")
		if len(drafts) != 1 || !strings.Contains(drafts[0].Body, "### Mentees\n\n@uma\n") {
			t.Errorf("drafts %d; want one proposing @uma", len(drafts))
		}
		c = e.command(organizer, f.hub, "/skip-week 3", week1.Add(2*time.Hour))
		if reacts, _ := e.answer(f.hub, c); !has(reacts, "confused") {
			t.Errorf("/skip-week on the ended hub: %v, want it refused", reacts)
		}
	})
}

// TestWaitlistGhostAuthor: an issue whose author is GitHub's "ghost" (a
// deleted account) is never put on the waitlist.
func TestWaitlistGhostAuthor(t *testing.T) {
	start(t, func(e *env) {
		is := e.Sim.OpenIssue("ghost", repo, "Join", interestForm("Reviewer", "SIG Apps", "UTC"))
		e.idle()
		if n := len(e.botComments(is.Number)); n != 0 {
			t.Errorf("%d bot comments on a ghost's interest", n)
		}
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(), "End date", "")), "cohort/request")
		e.idle()
		wantNotIn(t, "the report", e.onlyComment(t, req.Number), "`@ghost`")
	})
}
