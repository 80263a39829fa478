package web

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// FuzzTemplates is FuzzEscaping without the database, so that `go test
// -fuzz` runs thousands of inputs a second: the cohort page and the
// overview rendered from view models whose every user-written string is
// the input keep the skeleton (elements and attribute names) they have with
// a plain word.
func FuzzTemplates(f *testing.F) {
	for _, s := range []string{"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "javascript:alert(1)",
		"</svg><script>x</script>", "' onmouseover='x", "<!--", "</title><style>", "a\x00b", "{{.}}"} {
		f.Add(s)
	}
	h := New(Options{WebURL: "https://github.com"})
	plain := renderFuzzed(f, h, "plain")
	f.Fuzz(func(t *testing.T, s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		got := renderFuzzed(t, h, s)
		for i := range plain {
			if d := cmp.Diff(plain[i], got[i]); d != "" {
				t.Errorf("page %d: skeleton changed by %q (-plain +got):\n%s", i, s, d)
			}
		}
	})
}

// renderFuzzed renders the cohort page and the overview with s in every
// user-written place and returns their skeletons.
func renderFuzzed(t testing.TB, h *Handler, s string) [][]string {
	sp := cohort.Spec{Name: s, Slug: "x", Step: cohort.StepReviewer, Areas: []string{s},
		Start: cohort.Date{Year: 2027, Month: 1, Day: 4}, End: cohort.Date{Year: 2027, Month: 2, Day: 14}}
	c := store.PageCohort{Cohort: store.Cohort{ID: 1, Repo: "o/r", HubNumber: 2, State: store.StateActive, Spec: sp,
		BoundaryDone: 2, CreatedAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}
	m := store.Member{Handle: s, Role: store.RoleMentee, Mentor: s, Issue: 3, Status: store.StatusActive,
		Outcome: store.OutcomeGraduated, OutcomeLink: "https://github.com/o/r/pull/1", JoinedWeek: 1}
	a := &store.Attendance{Members: []store.Member{m}, Checked: map[string]map[int]bool{strings.ToLower(s): {1: true}}}
	p := &cohortPage{c: c, Name: s, Repo: c.Repo, RepoURL: "https://github.com/o/r", HubURL: h.issueURL(c.Repo, 2),
		Step: sp.Step, State: c.State, Start: sp.Start.String(), End: sp.End.String(), Areas: s, Weeks: sp.Weeks(),
		Fig: figures{a.Model(sp.Weeks(), 2, false).Figures()}, Heat: buildHeatmap(a.Model(sp.Weeks(), 2, false)), Timeline: timeline(c, a),
		Roster: []rosterRow{{Handle: s, Role: "mentee", Mentor: s, Status: "active", Outcome: "graduated",
			OutcomeLink: "https://github.com/o/r/pull/1", IssueURL: "https://github.com/o/r/issues/3", UserURL: "https://github.com/x"}},
		Tasks:  []taskRow{{Ref: "o/r#9", Title: s, URL: "https://github.com/o/r/issues/9", Mentee: s, Mentor: s, State: "open"}},
		Latest: []checkinText{{Handle: s, URL: "https://github.com/o/r/issues/3#c", Week: 1, Sections: []store.Section{{Name: s, Text: s}}}}}
	p.Ladder = h.buildLadder(p.Roster, []store.Measurement{
		{Handle: s, Requirement: "reviewed_prs", Target: 20, Total: 3, Query: "is:pr reviewed-by:" + s, Measured: c.CreatedAt},
		{Handle: s, Requirement: "merged_prs", Target: 1, Failure: s, Query: "is:pr author:" + s, Measured: c.CreatedAt}})
	b := base{Title: s, Path: "/cohorts/o/r/x", Login: s, CanLogin: true}
	groups := h.overviewGroups([]store.PageCohort{c}, map[int64]store.CohortFigures{1: {Mentees: 1, Graduated: 1, Checked: 1}})
	bars := graduationBars(groups)
	return [][]string{
		skeletonOf(t, h, "cohort", cohortData{b, p}),
		skeletonOf(t, h, "overview", overviewData{b, groups, bars, 400, 60, chartDesc(bars),
			[]stepBar{{Step: s, Mentees: 2, Graduated: 1}}, 50, s}),
	}
}

func skeletonOf(t testing.TB, h *Handler, name string, data any) []string {
	var buf bytes.Buffer
	if err := h.tmpl[name].ExecuteTemplate(&buf, name+".html", data); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			var keys []string
			for _, a := range n.Attr {
				keys = append(keys, a.Key)
			}
			sort.Strings(keys)
			out = append(out, n.Data+"["+strings.Join(keys, " ")+"]")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
