package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestPagesShowRetention: once a follow-up of a completed cohort is
// measured (SPEC §12), the overview shows its "still active N/M" and the
// cohort page the latest follow-up; a follow-up still being measured shows
// nothing.
func TestPagesShowRetention(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		seed(t, st, program())
		ctx := context.Background()
		closed := time.Date(2027, 2, 15, 0, 5, 0, 0, time.UTC)
		for _, f := range []store.FollowUp{
			{CohortID: 102, Day: 90, DueAt: closed.AddDate(0, 0, 90), State: store.FollowUpPosted,
				Mentees: 2, Active: 1, Graduated: 1, GraduatedActive: 1, MeasuredAt: closed.AddDate(0, 0, 90)},
			{CohortID: 102, Day: 365, DueAt: closed.AddDate(0, 0, 365), State: store.FollowUpMeasuring, Figures: `[]`},
		} {
			if err := st.PutFollowUp(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		s := serve(t, st, nil)
		rows := overviewRows(fetch(t, nil, s.srv.URL+"/").doc)
		if got := []string{rows["sig-node-2026"][6], rows["sig-apps-2027"][6]}; !cmp.Equal(got, []string{"1/2", "—"}) {
			t.Errorf("still active on the overview %q, want 1/2 for the completed cohort, — for the active one", got)
		}
		// The overview's retention chart: per ladder step, still active of
		// measured, drawn and in its data table.
		ov := fetch(t, nil, s.srv.URL+"/").doc
		desc := find(ov, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "ret-desc" })
		if len(desc) != 1 || !strings.Contains(text(desc[0]), ": 1 of 2 still active") {
			t.Errorf("retention chart's text alternative: %d elements %v", len(desc), desc)
		}
		cells := find(ov, func(n *html.Node) bool {
			return n.Data == "td" && n.Parent != nil && strings.Contains(text(n.Parent), "1") && inCaption(n, "Still active after the cohort")
		})
		if len(cells) != 2 || text(cells[0]) != "1" || text(cells[1]) != "2" {
			t.Errorf("retention data table cells %d", len(cells))
		}
		cp := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-node-2026")
		dd := find(cp.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "still-active" })
		if len(dd) != 1 || text(dd[0]) != "1/2 (90 days after the close; graduated and still active 1/1)" {
			t.Errorf("cohort page's still active: %d elements %q", len(dd), func() string {
				if len(dd) == 0 {
					return ""
				}
				return text(dd[0])
			}())
		}
		ap := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-apps-2027")
		if n := find(ap.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "still-active" }); len(n) != 0 {
			t.Error("a cohort without a follow-up shows a still-active figure")
		}
	})
}

// inCaption reports whether n is inside a table whose caption starts with
// prefix.
func inCaption(n *html.Node, prefix string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data != "table" {
			continue
		}
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Data == "caption" && strings.HasPrefix(text(c), prefix) {
				return true
			}
		}
		return false
	}
	return false
}
