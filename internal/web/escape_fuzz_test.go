package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

// skeleton is the structure of a page: every element with its attribute
// names, in document order. User-written text may change the text and the
// attribute values, never the skeleton.
func skeleton(n *html.Node) []string {
	var out []string
	walk(n, func(e *html.Node) {
		var keys []string
		for _, a := range e.Attr {
			keys = append(keys, a.Key)
		}
		sort.Strings(keys)
		out = append(out, e.Data+"["+strings.Join(keys, " ")+"]")
	})
	return out
}

// FuzzEscaping stores a cohort whose every user-written string (name, areas,
// handle, check-in text, task title) is the fuzzed input, and checks that
// the cohort page and the overview keep the skeleton they have with a plain
// word: no input adds an element or an attribute.
func FuzzEscaping(f *testing.F) {
	for _, s := range []string{"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "javascript:alert(1)",
		"</svg><script>x</script>", "]]><!--", "{{.}}", "' onmouseover='x", "a\x00b", "</title><style>", "&amp;&lt;",
		"<svg onload=alert(1)>", "\u2028\u2029", "x\">", "<!--", "<![CDATA[x]]>"} {
		f.Add(s)
	}
	st := openStore(f, testdb.SQLite(f))
	h := web.New(web.Options{Store: st, WebURL: "https://github.com", FiguresTTL: -1})
	var next atomic.Int64
	render := func(t *testing.T, s string) (cohortPage, section []string) {
		id := 1000 + next.Add(1)
		repo := "fuzz/r" + strconv.FormatInt(id, 10)
		storeFuzzCohort(t, st, id, repo, s)
		return skeleton(serveDoc(t, h, cohortPathOf(repo))), repoSection(serveDoc(t, h, "/"), repo)
	}
	plainPage, plainSection := render(&testing.T{}, "plain")
	if len(plainPage) < 50 || len(plainSection) < 10 {
		f.Fatalf("the plain pages have too little structure: %d and %d elements", len(plainPage), len(plainSection))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.TrimSpace(s) == "" || len(s) > 200 {
			return
		}
		gotPage, gotSection := render(t, s)
		if d := cmp.Diff(plainPage, gotPage); d != "" {
			t.Errorf("cohort page skeleton changed by %q (-plain +got):\n%s", s, d)
		}
		if d := cmp.Diff(plainSection, gotSection); d != "" {
			t.Errorf("overview skeleton changed by %q (-plain +got):\n%s", s, d)
		}
	})
}

func cohortPathOf(repo string) string { return "/cohorts/" + repo + "/fuzzed" }

func storeFuzzCohort(t *testing.T, st *store.Store, id int64, repo, s string) {
	ctx := context.Background()
	sp := spec(s, "fuzzed", cohort.StepReviewer)
	sp.Areas = []string{s}
	sp.Mentees = []cohort.Mentee{{Handle: "m-" + s, Mentor: "mentor-ann"}}
	must := func(err error) {
		if err != nil {
			panic(err) // t of the plain render is not a running test
		}
	}
	_, _, err := st.CreateCohort(ctx, store.Cohort{ID: id, InstallationID: 1, Repo: repo, RequestNumber: 1, Spec: sp,
		CreatedAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
	must(err)
	must(st.SetRepoPrivate(ctx, repo, false))
	must(st.SetState(ctx, id, store.StateActive))
	must(st.SetHubNumber(ctx, id, 2))
	must(st.SetMenteeIssue(ctx, id, "m-"+s, 3))
	must(st.SetSchedule(ctx, id, 2, time.Time{}))
	_, err = st.RecordCheckin(ctx, store.Checkin{CohortID: id, Mentee: "m-" + s, Week: 1, CommentID: id,
		CommentURL: "https://github.com/" + repo + "/issues/3#issuecomment-1", Author: "m-" + s,
		Sections: []store.Section{{Name: s, Text: s}}, CreatedAt: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)})
	must(err)
	must(st.PutTask(ctx, store.Task{Repo: repo, Number: 9, InstallationID: 1, Kind: store.KindIssue, Title: s,
		URL: "https://github.com/" + repo + "/issues/9", Label: "good-first-review", CohortID: id, Mentor: "mentor-ann",
		Mentee: "m-" + s, State: store.TaskOpen, Round: 1, Seq: 1, CreatedAt: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)}))
}

func serveDoc(t *testing.T, h http.Handler, path string) *html.Node {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		panic("GET " + path + ": " + rec.Result().Status)
	}
	doc, err := html.Parse(rec.Body)
	if err != nil {
		panic(err)
	}
	return doc
}

// repoSection is the skeleton of the overview's section of repo.
func repoSection(doc *html.Node, repo string) []string {
	for _, s := range find(doc, func(n *html.Node) bool { v, _ := attr(n, "data-repo"); return n.Data == "section" && v == repo }) {
		return skeleton(s)
	}
	return nil
}
