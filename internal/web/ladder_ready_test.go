package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// requirementStates are the ways one requirement can stand, and whether
// each is met.
var requirementStates = []struct {
	name string
	met  bool
	set  func(m *measured)
}{
	{"above", true, func(m *measured) { m.Total = m.Target + 1 }},
	{"equal", true, func(m *measured) { m.Total = m.Target }},
	{"below", false, func(m *measured) { m.Total = m.Target - 1 }},
	{"incomplete", false, func(m *measured) { m.Total, m.Incomplete = m.Target+5, true }},
	{"failed", false, func(m *measured) { m.Total, m.Failure = m.Target+5, "renamed" }},
	{"unanswered", false, func(m *measured) { m.when = time.Time{} }},
}

// TestOverviewReadyMatchesCohortPages: the overview counts ready mentees in
// SQL, the cohort page with internal/ladder's rule; for every combination
// of two requirements' states both say the same, on both databases. A
// cohort with only unanswered measurements reads "—" on the overview and
// has no figure on its page; one with only failures reads 0/M on both.
func TestOverviewReadyMatchesCohortPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		var mentees []string
		var ms []measured
		want := 0
		for i, a := range requirementStates {
			for j, b := range requirementStates {
				who := fmt.Sprintf("m-%s-%s", a.name, b.name)
				mentees = append(mentees, who)
				rev, mer := meas(501, who, config.ReviewedPRs, 20, 0), meas(501, who, config.MergedPRs, 1+i+j, 0)
				a.set(&rev)
				b.set(&mer)
				ms = append(ms, rev, mer)
				if a.met && b.met {
					want++
				}
			}
		}
		waiting := meas(502, "wes", config.ReviewedPRs, 20, 0)
		waiting.when = time.Time{}
		failed := meas(503, "fay", config.ReviewedPRs, 20, 0)
		failed.Failure = "renamed"
		seed(t, st, []seedCohort{
			{id: 501, repo: publicRepo, spec: spec("All states", "all", cohort.StepReviewer, mentees...), state: store.StateActive, boundaryDone: 2},
			{id: 502, repo: publicRepo, spec: spec("Waiting", "waiting", cohort.StepReviewer, "wes", "wil"), state: store.StateActive, boundaryDone: 2},
			{id: 503, repo: publicRepo, spec: spec("Failed", "failed", cohort.StepReviewer, "fay", "fox"), state: store.StateActive, boundaryDone: 2},
		})
		seedMeasurements(t, st, append(ms, waiting, failed)...)
		s := serve(t, st, nil)
		rows := overviewRows(fetch(t, nil, s.srv.URL+"/").doc)
		var overview, pages []string
		for _, slug := range []string{"all", "waiting", "failed"} {
			overview = append(overview, rows[slug][7])
			p := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/"+slug)
			dd := find(p.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "ready" })
			got := "—"
			if len(dd) == 1 {
				got = text(dd[0])
			}
			pages = append(pages, got)
		}
		expect := []string{fmt.Sprintf("%d/%d", want, len(mentees)), "—", "0/2"}
		if d := cmp.Diff([][]string{expect, expect}, [][]string{overview, pages}); d != "" {
			t.Errorf("ready to nominate: overview (SQL) and cohort pages (internal/ladder) (-want +got):\n%s", d)
		}
	})
}
