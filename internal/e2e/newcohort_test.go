package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidRequestCreatesTheCohort(t *testing.T) {
	start(t, func(e *env) {
		req := e.Sim.OpenIssue(organizer, repo, "New cohort: SIG Apps reviewers 2027", form(validFields()), "cohort/request")
		e.idle()

		hubs := e.issuesWithLabel("cohort/hub")
		if len(hubs) != 1 {
			t.Fatalf("%d hub issues, want 1", len(hubs))
		}
		hub := hubs[0]
		if want := "Cohort: SIG Apps reviewers 2027 — Reviewer (2027-01-11 → 2027-03-21)"; hub.Title != want {
			t.Errorf("hub title %q, want %q", hub.Title, want)
		}
		if d := cmp.Diff([]string{"cohort/hub", "cohort/active", "in-cohort/sig-apps-reviewers-2027"}, hub.Labels); d != "" {
			t.Errorf("hub labels (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"mentor-ann", "mentor-ben", "mentor-cy"}, hub.Assignees); d != "" {
			t.Errorf("hub assignees (-want +got):\n%s", d)
		}
		mentees := e.issuesWithLabel("cohort/mentee")
		if len(mentees) != 8 {
			t.Fatalf("%d mentee issues, want 8", len(mentees))
		}
		for _, m := range mentees {
			handle := m.Assignees[0]
			if want := "SIG Apps reviewers 2027: @" + handle + "'s progress"; m.Title != want {
				t.Errorf("mentee title %q, want %q", m.Title, want)
			}
			if d := cmp.Diff([]string{"cohort/mentee", "cohort/active", "in-cohort/sig-apps-reviewers-2027"}, m.Labels); d != "" {
				t.Errorf("mentee labels (-want +got):\n%s", d)
			}
			if !strings.Contains(hub.Body, fmt.Sprintf("| @%s |", handle)) || !strings.Contains(hub.Body, fmt.Sprintf("#%d", m.Number)) {
				t.Errorf("hub does not list @%s's issue #%d", handle, m.Number)
			}
			if m.Parent != hub.Number {
				t.Errorf("mentee issue #%d is not a sub-issue of the hub", m.Number)
			}
			if !strings.Contains(m.Body, fmt.Sprintf("#%d", hub.Number)) {
				t.Errorf("mentee issue #%d does not link the hub", m.Number)
			}
		}
		mia := mentees[0]
		if !strings.Contains(mia.Body, "**Paired mentor:** @mentor-ann") {
			t.Errorf("mia's issue does not name her mentor:\n%s", mia.Body)
		}
		for _, want := range []string{"## Roster", "## Schedule", "## Topics for Reviewer", "## Check-in board", "## Task board",
			"## Commands", "#cohort-sig-apps-2027", "Weekly standup", "<!-- cohortbot:begin checkins -->", "| 1 | 2027-01-11 | 2027-01-17 | @mentor-ann |"} {
			if !strings.Contains(hub.Body, want) {
				t.Errorf("hub body lacks %q", want)
			}
		}
		r := e.Sim.Issue(repo, req.Number)
		if r.State != "closed" || r.StateReason != "completed" {
			t.Errorf("request is %s/%s, want closed/completed", r.State, r.StateReason)
		}
		cs := e.botComments(req.Number)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, fmt.Sprintf("The hub is #%d", hub.Number)) {
			t.Fatalf("want one comment linking the hub, got %d: %+v", len(cs), cs)
		}
		// The bot's own events (issues.opened for the hub, comments, labels)
		// came back as webhooks and changed nothing.
		if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
			t.Errorf("%d hubs after the bot's own events", n)
		}
		if m := e.get("/metrics"); !strings.Contains(m, `cohortbot_github_requests_total{method="POST",status="201"}`) ||
			!strings.Contains(m, `cohortbot_jobs_total{kind="github_delivery",outcome="job_completed"}`) {
			t.Errorf("/metrics lacks GitHub requests or completed jobs:\n%s", m)
		}
		for _, l := range e.Sim.Labels(repo) {
			if strings.HasPrefix(l.Name, "cohort/") && l.Description == "" {
				t.Errorf("label %s created without a description", l.Name)
			}
		}
	})
}

func TestInvalidRequestIsFixedByTwoEdits(t *testing.T) {
	start(t, func(e *env) {
		bad := with(validFields(),
			"Ladder step", "Wizard",
			"Mentors", "@mentor-ann",
			"Mentees", "@mia\n@mia\n@mentor-ann\n@bad_handle!",
			"Start date", "2027-02-30",
			"Time zone", "Mars/Olympus",
		)
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(bad), "cohort/request")
		e.idle()
		cs := e.botComments(req.Number)
		if len(cs) != 1 {
			t.Fatalf("%d bot comments, want 1", len(cs))
		}
		report := cs[0]
		for _, want := range []string{"needs fixes", "Ladder step", "Start date", "Time zone", "Mentees", "bad_handle"} {
			if !strings.Contains(report.Body, want) {
				t.Errorf("report lacks %q:\n%s", want, report.Body)
			}
		}
		if rows := strings.Count(report.Body, "\n| ") - 1; rows < 5 {
			t.Errorf("report lists %d problems, want at least 5:\n%s", rows, report.Body)
		}
		if !has(e.Sim.Issue(repo, req.Number).Labels, "cohort/needs-fixes") {
			t.Error("cohort/needs-fixes not added")
		}

		// First edit fixes some problems; the same comment is edited.
		half := with(validFields(), "Start date", "2027-02-30", "Time zone", "Mars/Olympus")
		e.Sim.EditIssueBody(organizer, repo, req.Number, form(half))
		e.idle()
		cs = e.botComments(req.Number)
		if len(cs) != 1 || cs[0].ID != report.ID {
			t.Fatalf("after the first edit: %d bot comments (want the same one)", len(cs))
		}
		if strings.Contains(cs[0].Body, "Ladder step") || !strings.Contains(cs[0].Body, "Time zone") {
			t.Errorf("report not updated to the remaining problems:\n%s", cs[0].Body)
		}
		if len(e.issuesWithLabel("cohort/hub")) != 0 {
			t.Fatal("a hub was created for an invalid request")
		}

		// Second edit fixes the rest: the same comment becomes the success message.
		e.Sim.EditIssueBody(organizer, repo, req.Number, form(validFields()))
		e.idle()
		cs = e.botComments(req.Number)
		if len(cs) != 1 || cs[0].ID != report.ID || !strings.Contains(cs[0].Body, "Cohort created") {
			t.Fatalf("want the one comment edited into success, got %d: %+v", len(cs), cs)
		}
		r := e.Sim.Issue(repo, req.Number)
		if has(r.Labels, "cohort/needs-fixes") {
			t.Error("cohort/needs-fixes not removed")
		}
		if r.State != "closed" || len(e.issuesWithLabel("cohort/hub")) != 1 {
			t.Errorf("request %s, %d hubs", r.State, len(e.issuesWithLabel("cohort/hub")))
		}
	})
}

func TestRequestByNonOrganizerIsRefused(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.SetPermission(repo, "randy", "read")
		req := e.Sim.OpenIssue("randy", repo, "New cohort", form(validFields()), "cohort/request")
		e.idle()
		// Editing again must not add a second reply.
		e.Sim.EditIssueBody("randy", repo, req.Number, form(with(validFields(), "Notes", "please?")))
		e.idle()
		cs := e.botComments(req.Number)
		if len(cs) != 1 {
			t.Fatalf("%d replies, want 1", len(cs))
		}
		if !strings.HasPrefix(cs[0].Body, "@randy: only organizers") || !strings.Contains(cs[0].Body, "<details>") {
			t.Errorf("refusal not in the @user: <why> format with a collapsed quote:\n%s", cs[0].Body)
		}
		r := e.Sim.Issue(repo, req.Number)
		if r.State != "open" || has(r.Labels, "cohort/needs-fixes") {
			t.Errorf("request must stay open and unlabelled: %s %v", r.State, r.Labels)
		}
		if n := len(e.Sim.Issues(repo)); n != 1 {
			t.Errorf("%d issues exist, want only the request", n)
		}
	})
}

func TestRepeatedDeliveriesMakeOneCohort(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.OpenIssue(organizer, repo, "New cohort", form(validFields()), "cohort/request")
		first := e.Sim.Deliveries()[0].ID
		e.Sim.Redeliver(first)
		e.Sim.Resend(first)
		e.idle()
		e.Sim.Redeliver(first)
		e.Sim.Resend(first)
		e.idle()
		if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
			t.Errorf("%d hubs, want 1", n)
		}
		if n := len(e.issuesWithLabel("cohort/mentee")); n != 8 {
			t.Errorf("%d mentee issues, want 8", n)
		}
		if n := len(e.botComments(1)); n != 1 {
			t.Errorf("%d comments on the request, want 1", n)
		}
	})
}

func TestBrokenRepoConfigIsReportedOnTheIssue(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.PutFile(repo, ".github/cohortbot.yml", "max_mentees: lots\n")
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(validFields()), "cohort/request")
		e.idle()
		cs := e.botComments(req.Number)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, ".github/cohortbot.yml") || !strings.Contains(cs[0].Body, "max_mentees") {
			t.Fatalf("want one comment naming the file and key, got %+v", cs)
		}
		if len(e.issuesWithLabel("cohort/hub")) != 0 {
			t.Error("a cohort was created with a broken config")
		}
	})
}
