package e2e

import (
	"testing"
	"unicode/utf8"
)

// TestLongCohortNameMakesValidLabels: a cohort name whose slug is longer than
// 40 characters must still give labels GitHub accepts (at most 50 characters).
// Fails today: "in-cohort/sig-apps-and-sig-node-reviewers-and-approvers" (55) is
// refused with 422 and the cohort is never created.
func TestLongCohortNameMakesValidLabels(t *testing.T) {
	start(t, func(e *env) {
		name := "SIG Apps and SIG Node reviewers and approvers spring 2027"
		e.Sim.OpenIssue(organizer, repo, "New cohort: "+name, form(with(validFields(), "Cohort name", name)), "cohort/request")
		e.idle()
		hubs := e.issuesWithLabel("cohort/hub")
		if len(hubs) != 1 {
			t.Fatalf("%d hub issues, want 1", len(hubs))
		}
		for _, l := range hubs[0].Labels {
			if utf8.RuneCountInString(l) > 50 {
				t.Errorf("label %q is longer than GitHub's 50 characters", l)
			}
		}
	})
}
