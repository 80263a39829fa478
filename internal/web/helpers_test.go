package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testclock"
	"github.com/cohortbot/cohortbot/internal/web"
)

// site is the pages served over real HTTP from a store.
type site struct {
	st    *store.Store
	srv   *httptest.Server
	clock *testclock.Clock
}

func openStore(t testing.TB, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

// serve starts the pages on st; tune adjusts the options (OAuth).
func serve(t testing.TB, st *store.Store, tune func(*web.Options)) *site {
	t.Helper()
	clk := testclock.New(time.Date(2027, 1, 25, 12, 0, 0, 0, time.UTC))
	o := web.Options{Store: st, WebURL: "https://github.com", Now: clk.Now}
	if tune != nil {
		tune(&o)
	}
	srv := httptest.NewServer(web.New(o))
	t.Cleanup(srv.Close)
	return &site{st: st, srv: srv, clock: clk}
}

// page is a fetched page.
type page struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func fetch(t testing.TB, c *http.Client, url string) page {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(b), doc: doc}
}

// walk calls fn on every element under n.
func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// text is the text content of n, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// find returns the elements for which match is true.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walk(n, func(e *html.Node) {
		if match(e) {
			out = append(out, e)
		}
	})
	return out
}

// heatCells maps "mentee/week" to the state of each heatmap cell: the
// class of the row's week-th rect, checked against the week-th letter.
func heatCells(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, g := range find(doc, func(n *html.Node) bool { _, ok := attr(n, "data-mentee"); return n.Data == "g" && ok }) {
		m, _ := attr(g, "data-mentee")
		rects := find(g, func(n *html.Node) bool { return n.Data == "rect" })
		var letters []rune
		for _, l := range find(g, func(n *html.Node) bool { return n.Data == "text" && hasClass(n, "l") }) {
			letters = []rune(text(l))
		}
		for i, r := range rects {
			st, _ := attr(r, "class")
			if i < len(letters) {
				st += ":" + string(letters[i])
			}
			out[m+"/"+strconv.Itoa(i+1)] = st
		}
	}
	return out
}

// overviewRows maps each cohort slug of the overview to its figures.
func overviewRows(doc *html.Node) map[string][]string {
	out := map[string][]string{}
	for _, tr := range find(doc, func(n *html.Node) bool { return n.Data == "tr" && hasClass(n, "cohort") }) {
		slug, _ := attr(tr, "data-slug")
		var cells []string
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				cells = append(cells, text(c))
			}
		}
		out[slug] = cells
	}
	return out
}
