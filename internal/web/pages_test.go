package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/internal/bot"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

// TestPages reads the seeded program's pages as an anonymous visitor, on
// both databases: the overview's figures, the cohort page's heatmap, the
// help page's commands, and the headers every page carries.
func TestPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		seed(t, st, program())
		s := serve(t, st, nil)

		ov := fetch(t, nil, s.srv.URL+"/")
		wantRows := map[string][]string{
			"sig-apps-2027": {"SIG Apps reviewers", "Reviewer", "2027-01-04 → 2027-02-14", "3", "75%", "1/3", "—", "—", "hub"},
			"sig-node-2026": {"SIG Node members", "Member", "2027-01-04 → 2027-02-14", "2", "67%", "1/2", "—", "—", "hub"},
		}
		if d := cmp.Diff(wantRows, overviewRows(ov.doc)); d != "" {
			t.Errorf("overview rows (-want +got):\n%s", d)
		}
		if strings.Contains(ov.body, "Acme") || strings.Contains(ov.body, privateRepo) {
			t.Errorf("the overview lists a private repository's cohort to an anonymous visitor")
		}

		cp := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-apps-2027")
		letters := map[string]string{web.CheckedIn: "C", web.Missed: "M", web.Away: "A", web.Skipped: "S", web.NotYet: "·"}
		wantCells := map[string]string{}
		for m, row := range map[string][]string{
			"bob":   {web.CheckedIn, web.CheckedIn, web.CheckedIn, web.Skipped, web.NotYet, web.NotYet},
			"carol": {web.CheckedIn, web.Missed, web.CheckedIn, web.Skipped, web.NotYet, web.NotYet},
			"dave":  {web.CheckedIn, web.Away, web.Missed, web.Skipped, web.NotYet, web.NotYet},
		} {
			for i, st := range row {
				wantCells[m+"/"+strconv.Itoa(i+1)] = st + ":" + letters[st]
			}
		}
		if d := cmp.Diff(wantCells, heatCells(cp.doc)); d != "" {
			t.Errorf("heatmap cells (-want +got):\n%s", d)
		}
		links := hrefs(cp.doc)
		for _, want := range []string{"https://github.com/kubernetes/community/issues/2",
			"https://github.com/kubernetes/community/issues/3", "https://github.com/kubernetes/kubernetes/pull/4711"} {
			if !links[want] {
				t.Errorf("cohort page lacks a link to %s", want)
			}
		}

		hp := fetch(t, nil, s.srv.URL+"/help")
		var got, want []string
		for _, tr := range find(hp.doc, func(n *html.Node) bool { _, ok := attr(n, "data-command"); return ok }) {
			got = append(got, text(tr.FirstChild))
		}
		for _, c := range bot.Commands {
			want = append(want, c.Usage)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("help page commands (-want +got):\n%s", d)
		}

		for _, p := range []page{ov, cp, hp} {
			if p.status != 200 || p.header.Get("Content-Security-Policy") != web.CSP || len(p.body) > 200<<10 {
				t.Errorf("page: status %d, CSP %q, %d bytes", p.status, p.header.Get("Content-Security-Policy"), len(p.body))
			}
			if n := find(p.doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "style" }); len(n) > 0 {
				t.Errorf("page has %d script or inline style elements", len(n))
			}
		}
		if p := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/no-such"); p.status != 404 {
			t.Errorf("unknown cohort: status %d, want 404", p.status)
		}
	})
}

func hrefs(doc *html.Node) map[string]bool {
	out := map[string]bool{}
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "href"); ok && n.Data == "a" {
			out[v] = true
		}
	})
	return out
}
