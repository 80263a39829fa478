package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

// TestLargestCohortPageUnder200KB: the largest cohort a repository's config
// allows in length (52 weeks), with 30 mentees, the longest name, long
// check-ins of many sections and 60 tasks with long titles, still makes a
// page under 200 KB, with every cell of its heatmap.
func TestLargestCohortPageUnder200KB(t *testing.T) {
	t.Parallel() // its own store, server and browser
	st := openStore(t, testdb.SQLite(t))
	seedLargest(t, st)
	s := serve(t, st, nil)
	p := fetch(t, nil, s.srv.URL+"/cohorts/"+publicRepo+"/big")
	cells := heatCells(p.doc)
	t.Logf("largest cohort page: %d bytes, %d heatmap cells", len(p.body), len(cells))
	if p.status != 200 || len(p.body) >= 200<<10 || len(cells) != 30*52 {
		t.Errorf("status %d, %d bytes (limit %d), %d cells (want %d)", p.status, len(p.body), 200<<10, len(cells), 30*52)
	}
}

// seedLargest stores the largest cohort (id 900, slug "big") and returns
// its mentees.
func seedLargest(t testing.TB, st *store.Store) []string {
	t.Helper()
	var mentees []string
	checkins := map[string][]int{}
	for j := 0; j < 30; j++ {
		m := fmt.Sprintf("a-rather-long-handle-%02d", j)
		mentees = append(mentees, m)
		for w := 1; w <= 52; w++ {
			checkins[m] = append(checkins[m], w)
		}
	}
	sp := spec(strings.Repeat("N", 100), "big", cohort.StepApprover, mentees...)
	sp.End = sp.Start.AddDays(52*7 - 1)
	seed(t, st, []seedCohort{{id: 900, repo: publicRepo, spec: sp, state: store.StateActive, boundaryDone: 52,
		checkins: checkins, text: strings.Repeat("long check-in text ", 3000)}})
	ctx := context.Background()
	var secs []store.Section
	for i := 0; i < 20; i++ {
		secs = append(secs, store.Section{Name: strings.Repeat("S", 200), Text: strings.Repeat("x", 5000)})
	}
	for _, m := range mentees {
		if _, err := st.RecordCheckin(ctx, store.Checkin{CohortID: 900, Mentee: m, Week: 52, CommentID: 1, Author: m,
			Sections: secs, CreatedAt: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 60; i++ {
		if err := st.PutTask(ctx, store.Task{Repo: "kubernetes/kubernetes", Number: 10000 + i, InstallationID: 1,
			Kind: store.KindPR, Title: strings.Repeat("T", 256), URL: fmt.Sprintf("https://github.com/kubernetes/kubernetes/pull/%d", 10000+i),
			Label: "good-first-review", CohortID: 900, Mentor: "mentor-ann", Mentee: mentees[i%30], State: store.TaskOpen,
			Seq: int64(i + 1), CreatedAt: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	return mentees
}

// TestOverviewListsNewestCompleted: a repository with years of completed
// cohorts lists the newest 20 and says how many more there are; the
// graduation chart still counts every cohort.
func TestOverviewListsNewestCompleted(t *testing.T) {
	st := openStore(t, testdb.SQLite(t))
	var cs []seedCohort
	for i := 0; i < 25; i++ {
		cs = append(cs, seedCohort{id: int64(700 + i), repo: publicRepo, spec: spec(fmt.Sprintf("Old %02d", i), fmt.Sprintf("old-%02d", i),
			cohort.StepMember, "erin"), state: store.StateCompleted, boundaryDone: 6, graduated: []string{"erin"}})
	}
	seed(t, st, cs)
	s := serve(t, st, nil)
	p := fetch(t, nil, s.srv.URL+"/")
	older := find(p.doc, func(n *html.Node) bool { return n.Data == "p" && hasClass(n, "older") })
	bar := find(p.doc, func(n *html.Node) bool { v, _ := attr(n, "data-step"); return v == cohort.StepMember })
	got := []any{len(overviewRows(p.doc)), len(older) == 1 && strings.Contains(text(older[0]), "5 older"),
		len(bar) == 1 && strings.Contains(text(bar[0]), "25/25")}
	if d := cmp.Diff([]any{20, true, true}, got); d != "" {
		t.Errorf("rows listed, older ones counted, chart over all (-want +got):\n%s", d)
	}
}

// TestOverviewFiguresReused: within FiguresTTL the overview reuses the
// figures (a new check-in shows after it), while the cohorts listed are
// always read afresh (a repository made private disappears at once).
func TestOverviewFiguresReused(t *testing.T) {
	st := openStore(t, testdb.SQLite(t))
	seed(t, st, program())
	ctx := context.Background()
	rate := func(s *site) string { return overviewRows(fetch(t, nil, s.srv.URL+"/").doc)["sig-apps-2027"][4] }
	cached := serve(t, st, func(o *web.Options) { o.FiguresTTL = time.Hour })
	fresh := serve(t, st, func(o *web.Options) { o.FiguresTTL = -1 })
	got := []string{rate(cached), rate(fresh)}
	if _, err := st.RecordCheckin(ctx, store.Checkin{CohortID: 101, Mentee: "carol", Week: 2, CommentID: 9, Author: "carol",
		CreatedAt: time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	got = append(got, rate(cached), rate(fresh))
	if err := st.SetRepoPrivate(ctx, publicRepo, true); err != nil {
		t.Fatal(err)
	}
	_, listed := overviewRows(fetch(t, nil, cached.srv.URL+"/").doc)["sig-apps-2027"]
	if d := cmp.Diff([]string{"75%", "75%", "75%", "88%"}, got); d != "" || listed {
		t.Errorf("rates before and after a check-in, cached and fresh (-want +got):\n%s; still listed once private: %v", d, listed)
	}
}
