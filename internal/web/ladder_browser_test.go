package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestLadderProgressInBrowser: in a real headless Chromium, the cohort
// page's ladder progress shows each mentee's cells (figure, mark and words,
// state), links each count to its GitHub search, the ready-to-nominate
// column and figure, and axe-core finds no serious or critical violation;
// a screenshot is saved.
func TestLadderProgressInBrowser(t *testing.T) {
	t.Parallel() // its own store, server and browser
	ctx := chromium(t)
	st := openStore(t, testdb.SQLite(t))
	seed(t, st, program())
	ladderProgram(t, st)
	s := serve(t, st, nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.srv.URL+"/cohorts/"+publicRepo+"/sig-apps-2027"),
		chromedp.WaitVisible(chromedp.CSS("table.ladder"))); err != nil {
		t.Fatal(err)
	}
	cells := eval[any](t, ctx, `Array.from(document.querySelectorAll('table.ladder tbody tr')).map(tr =>
		[tr.dataset.mentee].concat(Array.from(tr.querySelectorAll('td.req')).map(td => td.dataset.state + '=' + td.innerText.trim()),
			[tr.querySelector('td.ready').innerText.trim()]))`)
	want := []any{
		[]any{"bob", "met=reviewed 25/20 ✅ met", "met=merged 3/1 ✅ met", "✅ ready to nominate (ladder/ready)"},
		[]any{"carol", "not-met=reviewed 12/20 ⏳ not met yet", "incomplete=merged 5/1 ⏳ incomplete results: not counted as met", "not yet"},
		[]any{"dave", "failed=reviewed ?/20 ⚠️ could not be measured: the account @dave was not found (renamed?)",
			"unmeasured=merged ?/1 ⏳ not measured yet", "not yet"},
	}
	if d := cmp.Diff(want, cells); d != "" {
		t.Errorf("ladder progress cells in Chromium (-want +got):\n%s", d)
	}
	link := eval[string](t, ctx, `document.querySelector('tr[data-mentee="carol"] td.req a').href`)
	if link != "https://github.com/search?type=pullrequests&q=is%3Apr+reviewed-by%3Acarol+-author%3Acarol+org%3Akubernetes" {
		t.Errorf("carol's reviewed count links to %q", link)
	}
	header := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('table.ladder thead th')).map(th => th.getAttribute('scope') + ':' + th.innerText)`)
	if d := cmp.Diff([]string{"col:Mentee", "col:PRs reviewed", "col:PRs merged", "col:Ready to nominate", "col:Last measured"}, header); d != "" {
		t.Errorf("ladder table headers (-want +got):\n%s", d)
	}
	if ready := eval[string](t, ctx, `document.getElementById('ready').innerText`); ready != "1/3" {
		t.Errorf("ready to nominate in the facts: %q", ready)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(t), "cohort-page-ladder.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	eval[chromedp.Void](t, ctx, axeSource)
	if v := eval[[]axeViolation](t, ctx, axeRun); len(v) > 0 {
		t.Errorf("axe-core: serious or critical violations: %+v", v)
	}
}
