package web_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// searchLinks counts the ladder table's links to GitHub's search and its
// links to mentee issues.
func searchLinks(doc *html.Node) (search, issues int) {
	for _, tb := range find(doc, func(n *html.Node) bool { return n.Data == "table" && hasClass(n, "ladder") }) {
		for _, a := range find(tb, func(n *html.Node) bool { return n.Data == "a" }) {
			href, _ := attr(a, "href")
			switch {
			case strings.HasPrefix(href, "https://github.com/search?"):
				search++
			case strings.Contains(href, "/issues/"):
				issues++
			}
		}
	}
	return search, issues
}

// largestWithLadder is the largest cohort page with two measured
// requirements per mentee, each search in scope, and its size, search links
// and issue links.
func largestWithLadder(t *testing.T, scope string) (p page, search, issues int) {
	st := openStore(t, testdb.SQLite(t))
	mentees := seedLargest(t, st)
	var ms []measured
	for i, m := range mentees {
		rev, mer := meas(900, m, config.ReviewedPRs, 30, 10+i), meas(900, m, config.MergedPRs, 1, i%2)
		rev.Query = "is:pr reviewed-by:" + m + " -author:" + m + " " + scope + " updated:>=2027-01-04"
		mer.Query = "is:pr is:merged author:" + m + " " + scope + " merged:>=2027-01-04"
		if i%5 == 0 {
			mer.Failure = strings.Repeat("GitHub refused the search: validation failed. ", 20)
		}
		ms = append(ms, rev, mer)
	}
	seedMeasurements(t, st, ms...)
	s := serve(t, st, nil)
	p = fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/big")
	texts, _ := ladderRows(p.doc)
	if p.status != 200 || len(texts) != 30 {
		t.Fatalf("status %d, %d ladder rows (want 30)", p.status, len(texts))
	}
	search, issues = searchLinks(p.doc)
	t.Logf("largest cohort page with ladder progress (%d-byte scope): %d bytes, %d search links, %d issue links",
		len(scope), len(p.body), search, issues)
	return p, search, issues
}

// TestLargestCohortPageWithLadderProgress: the largest cohort, every mentee
// measured in the default scope, links all 60 searches and stays under
// 200 KB.
func TestLargestCohortPageWithLadderProgress(t *testing.T) {
	t.Parallel() // its own store, server and browser
	p, search, issues := largestWithLadder(t, "org:kubernetes")
	if len(p.body) >= 200_000 || search != 60 || issues != 0 {
		t.Errorf("%d bytes (limit 200000), %d search links (want 60), %d issue links (want 0)", len(p.body), search, issues)
	}
}

// TestLadderSearchesLeftToIssuesWhenTooLarge: with the longest scope the
// config allows (10 repositories of the longest names), linking every
// search would pass 200 KB: the page stays under it, shows every figure,
// and links each mentee's issue (whose region links the searches) instead.
func TestLadderSearchesLeftToIssuesWhenTooLarge(t *testing.T) {
	t.Parallel() // its own store, server and browser
	var terms []string
	for i := 0; i < 10; i++ {
		terms = append(terms, fmt.Sprintf("repo:%s/%s", strings.Repeat("o", 38)+fmt.Sprint(i), strings.Repeat("r", 100)))
	}
	p, search, issues := largestWithLadder(t, strings.Join(terms, " "))
	texts, _ := ladderRows(p.doc)
	if len(p.body) >= 200_000 || search != 0 || issues != 30 {
		t.Errorf("%d bytes (limit 200000), %d search links (want 0), %d issue links (want 30)", len(p.body), search, issues)
	}
	if got := texts["a-rather-long-handle-07"]; len(got) < 3 || got[1] != "reviewed 17/30 ⏳ not met yet" || got[2] != "merged 1/1 ✅ met" {
		t.Errorf("figures of a mentee on the compact page: %q", got)
	}
	if caps := find(p.doc, func(n *html.Node) bool {
		return n.Data == "caption" && strings.Contains(text(n), "each mentee's issue links them")
	}); len(caps) != 1 {
		t.Error("the compact table does not say where the searches are")
	}
}
