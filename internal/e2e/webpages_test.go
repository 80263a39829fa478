package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// getPage fetches a page of the running service.
func (e *env) getPage(path string) (int, string) {
	e.t.Helper()
	resp, err := http.Get(e.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestWebPagesFollowRepositoryVisibility: the service serves the pages of a
// cohort created through webhooks, and a repository made private (as the
// next delivery's repository.private says) disappears from them for an
// anonymous visitor, since no OAuth credentials are configured.
func TestWebPagesFollowRepositoryVisibility(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.OpenIssue(organizer, repo, "New cohort: SIG Apps reviewers 2027", form(validFields()), "cohort/request")
		e.idle()
		const page = "/cohorts/" + repo + "/sig-apps-reviewers-2027"
		status, ov := e.getPage("/")
		if status != 200 || !strings.Contains(ov, `href="`+page+`"`) || !strings.Contains(ov, "SIG Apps reviewers 2027") {
			t.Fatalf("overview (status %d) does not link the public cohort:\n%s", status, ov)
		}
		status, cp := e.getPage(page)
		if status != 200 || strings.Count(cp, `class="not-yet"`) < 8 || !strings.Contains(cp, "@mia") {
			t.Fatalf("cohort page (status %d) lacks the roster's heatmap:\n%s", status, cp)
		}

		e.Sim.SetPrivate(repo, true)
		hub := e.issuesWithLabel("cohort/hub")[0]
		e.Sim.Comment(organizer, repo, hub.Number, "/cohort-help")
		e.idle()
		if _, ov := e.getPage("/"); strings.Contains(ov, "SIG Apps reviewers 2027") {
			t.Errorf("the overview still lists the cohort of a repository that became private")
		}
		if status, _ := e.getPage(page); status != http.StatusNotFound {
			t.Errorf("the private cohort's page answers %d to an anonymous visitor, want 404", status)
		}
	})
}
