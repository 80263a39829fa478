package e2e

import (
	"strings"
	"testing"
)

// TestFirstRequestInFreshRepository: the mentoring repository has no labels
// yet, so GitHub drops the form's cohort/request when the organizer files
// the form (SPEC §2 "What counts as a request"). The bot recognises the
// request by the form's headings, labels it (creating the label),
// validates it and creates the cohort.
func TestFirstRequestInFreshRepository(t *testing.T) {
	start(t, func(e *env) {
		if ls := e.Sim.Labels(repo); len(ls) != 0 {
			t.Fatalf("the repository starts with labels %v", ls)
		}
		req := e.Sim.OpenIssue(organizer, repo, "New cohort: SIG Apps reviewers 2027", form(validFields()), "cohort/request")
		if len(req.Labels) != 0 {
			t.Fatalf("the simulated GitHub applied %v, a label that does not exist", req.Labels)
		}
		e.idle()
		r := e.Sim.Issue(repo, req.Number)
		if !has(r.Labels, "cohort/request") {
			t.Errorf("request labels %v, want cohort/request added by the bot", r.Labels)
		}
		var made bool
		for _, l := range e.Sim.Labels(repo) {
			if l.Name == "cohort/request" {
				made = l.Description != ""
			}
		}
		if !made {
			t.Error("cohort/request was not created with a description")
		}
		if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
			t.Fatalf("%d hubs, want 1", n)
		}
		if n := len(e.issuesWithLabel("cohort/mentee")); n != 8 {
			t.Errorf("%d mentee issues, want 8", n)
		}
		cs := e.botComments(req.Number)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "Cohort created") {
			t.Errorf("want one success comment on the request, got %+v", cs)
		}
		if r.State != "closed" || r.StateReason != "completed" {
			t.Errorf("request is %s/%s, want closed/completed", r.State, r.StateReason)
		}
	})
}

// TestUnlabelledIssuesThatAreNotRequests: an issue is a request by its
// label or by the form's headings as headings. An issue that only mentions
// them in prose, or one carrying them in a cohort's own (hub or mentee)
// issue, is left alone: no comment, no label, nothing created.
func TestUnlabelledIssuesThatAreNotRequests(t *testing.T) {
	tests := []struct {
		name string
		file func(e *env, f cohortFixture) (number int)
	}{
		{name: "headings named in prose", file: func(e *env, _ cohortFixture) int {
			return e.Sim.OpenIssue(organizer, repo, "Question",
				"How do I fill ### Cohort name and ### Ladder step in the form?\n\nThanks").Number
		}},
		{name: "a plain issue", file: func(e *env, _ cohortFixture) int {
			return e.Sim.OpenIssue(organizer, repo, "Typo", "### What happened\n\nA typo.\n\n### Where\n\nREADME").Number
		}},
		{name: "a mentee issue, its label removed, edited by an organizer to hold the form", file: func(e *env, f cohortFixture) int {
			n := f.mentees["mia"]
			e.Sim.RemoveLabel(organizer, repo, n, "cohort/mentee")
			e.Sim.EditIssueBody(organizer, repo, n, form(with(validFields(), "Cohort name", "Other cohort"))+"\n\n"+e.Sim.Issue(repo, n).Body)
			return n
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start(t, func(e *env) {
				f := e.createCohort()
				issues := len(e.Sim.Issues(repo))
				n := tt.file(e, f)
				before := e.Sim.Issue(repo, n).Labels
				e.idle()
				if cs := e.botComments(n); len(cs) != 0 {
					t.Errorf("bot commented: %q", cs[0].Body)
				}
				if got := e.Sim.Issue(repo, n).Labels; has(got, "cohort/request") || len(got) != len(before) {
					t.Errorf("labels %v, were %v", got, before)
				}
				if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
					t.Errorf("%d hubs, want the fixture's one", n)
				}
				if got := len(e.Sim.Issues(repo)); got > issues+1 {
					t.Errorf("%d issues after, %d before the case", got, issues)
				}
			})
		})
	}
}
