package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

// measured is a measurement to seed, answered at when (zero: only queued).
type measured struct {
	store.Measurement
	when time.Time
}

var answeredAt = time.Date(2027, 1, 25, 0, 5, 0, 0, time.UTC)

// query is the search the bot stores for a requirement (SPEC §10).
func query(req, who string) string {
	if req == config.MergedPRs {
		return "is:pr is:merged author:" + who + " org:kubernetes"
	}
	return "is:pr reviewed-by:" + who + " -author:" + who + " org:kubernetes"
}

// seedMeasurements stores measurements the way the bot does: queued, then
// answered (or failed) unless when is zero.
func seedMeasurements(t testing.TB, st *store.Store, ms ...measured) {
	t.Helper()
	ctx := context.Background()
	for _, m := range ms {
		m.Installation = 1
		if m.Query == "" {
			m.Query = query(m.Requirement, m.Handle)
		}
		if err := st.QueueMeasurement(ctx, m.Measurement, answeredAt.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if !m.when.IsZero() {
			if err := st.RecordMeasurement(ctx, m.Measurement, m.when); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func meas(cohortID int64, who, req string, target, total int) measured {
	return measured{store.Measurement{CohortID: cohortID, Handle: who, Requirement: req, Target: target, Total: total}, answeredAt}
}

// ladderProgram is the seeded program's measurements: in the public active
// cohort bob has met both requirements, carol has 12/20 and an incomplete
// count above its target, dave one failure and one never answered; a
// removed mentee met everything (not shown, not counted); the private
// cohort's gina is ready.
func ladderProgram(t testing.TB, st *store.Store) {
	t.Helper()
	if err := st.SaveRoster(context.Background(), 101, program()[0].spec, store.Member{Handle: "zed", Role: store.RoleMentee,
		Mentor: "mentor-ann", Status: store.StatusRemoved, JoinedWeek: 1, LeftWeek: 2}); err != nil {
		t.Fatal(err)
	}
	incomplete := meas(101, "carol", config.MergedPRs, 1, 5)
	incomplete.Incomplete = true
	failed := meas(101, "dave", config.ReviewedPRs, 20, 0)
	failed.Failure = "the account @dave was not found (renamed?)"
	unanswered := meas(101, "dave", config.MergedPRs, 1, 0)
	unanswered.when = time.Time{}
	seedMeasurements(t, st,
		meas(101, "bob", config.ReviewedPRs, 20, 25), meas(101, "bob", config.MergedPRs, 1, 3),
		meas(101, "carol", config.ReviewedPRs, 20, 12), incomplete, failed, unanswered,
		meas(101, "zed", config.ReviewedPRs, 20, 99), meas(101, "zed", config.MergedPRs, 1, 9),
		meas(201, "gina", config.ReviewedPRs, 30, 31))
}

// ladderRows maps each mentee of the cohort page's ladder table to its
// cells' text, and each requirement cell to its data-state.
func ladderRows(doc *html.Node) (map[string][]string, map[string][]string) {
	texts, states := map[string][]string{}, map[string][]string{}
	for _, tb := range find(doc, func(n *html.Node) bool { return n.Data == "table" && hasClass(n, "ladder") }) {
		for _, tr := range find(tb, func(n *html.Node) bool { _, ok := attr(n, "data-mentee"); return n.Data == "tr" && ok }) {
			who, _ := attr(tr, "data-mentee")
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode {
					continue
				}
				texts[who] = append(texts[who], text(c))
				if st, ok := attr(c, "data-state"); ok {
					states[who] = append(states[who], st)
				}
			}
		}
	}
	return texts, states
}

// countingTransport fails and counts any outbound request: rendering a
// page must not call GitHub.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, http.ErrNotSupported
}

// TestCohortPageShowsLadderProgress: the cohort page shows each roster
// mentee's measured requirements as "reviewed 12/20" with a mark and words,
// a link to the search that produced each count, incomplete results never
// met, failures with their reason, "not measured yet" before an answer, and
// "ready to nominate" when all are met; the facts say how many are ready.
// Nothing is requested from GitHub. On both databases.
func TestCohortPageShowsLadderProgress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		seed(t, st, program())
		ladderProgram(t, st)
		tr := &countingTransport{}
		s := serve(t, st, func(o *web.Options) { o.HTTPClient = &http.Client{Transport: tr} })
		p := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-apps-2027")
		texts, states := ladderRows(p.doc)
		wantTexts := map[string][]string{
			"bob":   {"@bob", "reviewed 25/20 ✅ met", "merged 3/1 ✅ met", "✅ ready to nominate (ladder/ready)", "2027-01-25"},
			"carol": {"@carol", "reviewed 12/20 ⏳ not met yet", "merged 5/1 ⏳ incomplete results: not counted as met", "not yet", "2027-01-25"},
			"dave": {"@dave", "reviewed ?/20 ⚠️ could not be measured: the account @dave was not found (renamed?)",
				"merged ?/1 ⏳ not measured yet", "not yet", "2027-01-25"},
		}
		if d := cmp.Diff(wantTexts, texts); d != "" {
			t.Errorf("ladder progress rows (-want +got):\n%s", d)
		}
		wantStates := map[string][]string{"bob": {web.LadderMet, web.LadderMet}, "carol": {web.LadderNotMet, web.LadderIncomplete},
			"dave": {web.LadderFailed, web.LadderUnmeasured}}
		if d := cmp.Diff(wantStates, states); d != "" {
			t.Errorf("ladder progress states (-want +got):\n%s", d)
		}
		links := hrefs(p.doc)
		for _, want := range []string{
			"https://github.com/search?type=pullrequests&q=is%3Apr+reviewed-by%3Acarol+-author%3Acarol+org%3Akubernetes",
			"https://github.com/search?type=pullrequests&q=is%3Apr+is%3Amerged+author%3Abob+org%3Akubernetes",
			"https://github.com/search?type=pullrequests&q=is%3Apr+reviewed-by%3Adave+-author%3Adave+org%3Akubernetes",
		} {
			if !links[want] {
				t.Errorf("the ladder table lacks the search link %s", want)
			}
		}
		ready := find(p.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "ready" })
		if len(ready) != 1 || text(ready[0]) != "1/3" {
			t.Errorf("ready to nominate in the facts: %d elements, want one reading 1/3", len(ready))
		}
		if strings.Contains(p.body, "zed") {
			t.Error("a removed mentee's progress is shown")
		}
		checkLadderTable(t, p.doc)
		if n := tr.n.Load(); n != 0 {
			t.Errorf("rendering the page made %d outbound requests, want none", n)
		}
	})
}

// checkLadderTable: the table has a caption and scoped headers.
func checkLadderTable(t *testing.T, doc *html.Node) {
	t.Helper()
	tbs := find(doc, func(n *html.Node) bool { return n.Data == "table" && hasClass(n, "ladder") })
	if len(tbs) != 1 {
		t.Fatalf("%d ladder tables, want 1", len(tbs))
	}
	if len(find(tbs[0], func(n *html.Node) bool { return n.Data == "caption" })) != 1 {
		t.Error("the ladder table has no caption")
	}
	for _, th := range find(tbs[0], func(n *html.Node) bool { return n.Data == "th" }) {
		if sc, _ := attr(th, "scope"); sc != "col" && sc != "row" {
			t.Errorf("header %q has scope %q", text(th), sc)
		}
	}
}

// TestLadderProgressNotMeasuredYet: a cohort without any answer yet says
// so, on its page (no table) and on the overview ("—"); a mentee without
// measurements in a measured cohort reads "not measured yet".
func TestLadderProgressNotMeasuredYet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		seed(t, st, program())
		s := serve(t, st, nil)
		p := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-node-2026")
		none := find(p.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "ladder-none" })
		if len(none) != 1 || !strings.HasPrefix(text(none[0]), "Not measured yet") {
			t.Errorf("a cohort never measured: %d 'not measured yet' paragraphs", len(none))
		}
		queued := meas(102, "erin", config.MergedPRs, 1, 0)
		queued.when = time.Time{}
		seedMeasurements(t, st, queued, meas(101, "bob", config.ReviewedPRs, 20, 3))
		p = fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-node-2026")
		if n := find(p.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "ready" }); len(n) != 0 {
			t.Error("a cohort never measured shows a ready-to-nominate figure")
		}
		queuedRows, _ := ladderRows(p.doc)
		if d := cmp.Diff(map[string][]string{"erin": {"@erin", "merged ?/1 ⏳ not measured yet", "not measured yet", "—"},
			"frank": {"@frank", "not measured yet", "not measured yet", "—"}}, queuedRows); d != "" {
			t.Errorf("ladder rows of a queued, unanswered measurement (-want +got):\n%s", d)
		}
		texts, _ := ladderRows(fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/sig-apps-2027").doc)
		want := map[string][]string{
			"bob":   {"@bob", "reviewed 3/20 ⏳ not met yet", "not yet", "2027-01-25"},
			"carol": {"@carol", "not measured yet", "not measured yet", "—"},
			"dave":  {"@dave", "not measured yet", "not measured yet", "—"},
		}
		if d := cmp.Diff(want, texts); d != "" {
			t.Errorf("ladder rows with one mentee measured (-want +got):\n%s", d)
		}
		rows := overviewRows(fetch(t, nil, s.srv.URL+"/").doc)
		if got := []string{rows["sig-apps-2027"][7], rows["sig-node-2026"][7]}; !cmp.Equal(got, []string{"0/3", "—"}) {
			t.Errorf("ready to nominate on the overview %q, want 0/3 and —", got)
		}
	})
}

// TestLadderProgressVisibility: the overview's "ready to nominate N/M"
// counts roster mentees only; a private cohort's progress is shown to
// nobody but a signed-in visitor who can read the repository (the pages'
// visibility rules, unchanged). On both databases.
func TestLadderProgressVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		s, sim := oauthSite(t, url)
		ladderProgram(t, s.st)
		ready := func(c *http.Client) map[string]string {
			out := map[string]string{}
			for slug, cells := range overviewRows(fetch(t, c, s.srv.URL+"/").doc) {
				out[slug] = cells[7]
			}
			return out
		}
		anon := ready(nil)
		stranger := browser(t)
		signIn(t, s, sim, stranger, "stranger")
		reader := browser(t)
		signIn(t, s, sim, reader, "reader")
		got := []map[string]string{anon, ready(stranger), ready(reader)}
		public := map[string]string{"sig-apps-2027": "1/3", "sig-node-2026": "—"}
		want := []map[string]string{public, public, {"sig-apps-2027": "1/3", "sig-node-2026": "—", "acme-2027": "1/1"}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("ready to nominate on the overview: anonymous, stranger, reader (-want +got):\n%s", d)
		}
		for who, c := range map[string]*http.Client{"anonymous": nil, "stranger": stranger} {
			p := fetch(t, c, s.srv.URL+privatePath)
			if p.status != http.StatusNotFound || strings.Contains(p.body, "gina") || strings.Contains(p.body, "reviewed 31") {
				t.Errorf("%s: the private cohort's page answers %d and shows its progress: %v", who, p.status, strings.Contains(p.body, "gina"))
			}
		}
		texts, _ := ladderRows(fetch(t, reader, s.srv.URL+privatePath).doc)
		if d := cmp.Diff(map[string][]string{"gina": {"@gina", "reviewed 31/30 ✅ met", "✅ ready to nominate (ladder/ready)", "2027-01-25"}}, texts); d != "" {
			t.Errorf("the reader's view of the private cohort's progress (-want +got):\n%s", d)
		}
	})
}

// TestLadderProgressEscaped: handles and failure reasons are text, never
// markup, on the cohort page; the search link carries the query escaped.
func TestLadderProgressEscaped(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		evil := `x"><script>alert(1)</script>`
		seed(t, st, []seedCohort{{id: 301, repo: publicRepo, spec: spec("Evil", "evil", "Reviewer", evil),
			state: store.StateActive, boundaryDone: 1}})
		failed := meas(301, evil, config.MergedPRs, 1, 0)
		failed.Failure = `<b>422</b> & "validation failed"`
		seedMeasurements(t, st, meas(301, evil, config.ReviewedPRs, 20, 7), failed)
		s := serve(t, st, nil)
		p := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/evil")
		texts, _ := ladderRows(p.doc)
		want := map[string][]string{evil: {"@" + evil, "reviewed 7/20 ⏳ not met yet",
			`merged ?/1 ⚠️ could not be measured: <b>422</b> & "validation failed"`, "not yet", "2027-01-25"}}
		if d := cmp.Diff(want, texts); d != "" {
			t.Errorf("escaped ladder row (-want +got):\n%s", d)
		}
		if n := find(p.doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "b" }); len(n) != 0 {
			t.Errorf("user-written text became %d elements", len(n))
		}
		link := "https://github.com/search?type=pullrequests&q=is%3Apr+reviewed-by%3Ax%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E+-author%3Ax%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E+org%3Akubernetes"
		if !hrefs(p.doc)[link] {
			t.Errorf("the search link is not the escaped query %s", link)
		}
	})
}

// TestOverviewReadyReused: within FiguresTTL the overview reuses the ready
// counts (like the figures); a fresh handler shows a new answer at once.
func TestOverviewReadyReused(t *testing.T) {
	st := openStore(t, testdb.SQLite(t))
	seed(t, st, program())
	ladderProgram(t, st)
	ready := func(s *site) string { return overviewRows(fetch(t, nil, s.srv.URL+"/").doc)["sig-apps-2027"][7] }
	cached := serve(t, st, func(o *web.Options) { o.FiguresTTL = time.Hour })
	fresh := serve(t, st, func(o *web.Options) { o.FiguresTTL = -1 })
	got := []string{ready(cached), ready(fresh)}
	carol := meas(101, "carol", config.ReviewedPRs, 20, 21)
	merged := meas(101, "carol", config.MergedPRs, 1, 2)
	seedMeasurements(t, st, carol, merged)
	got = append(got, ready(cached), ready(fresh))
	if d := cmp.Diff([]string{"1/3", "1/3", "1/3", "2/3"}, got); d != "" {
		t.Errorf("ready before and after carol's requirements are met, cached and fresh (-want +got):\n%s", d)
	}
}
