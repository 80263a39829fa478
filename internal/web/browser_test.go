package web_test

import (
	"context"
	_ "embed"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/bot"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

//go:embed testdata/axe.min.js
var axeSource string

const chromiumPath = "/usr/bin/chromium"

// artifactsDir is where screenshots go: $COHORTBOT_TEST_ARTIFACTS/web when
// set (CI keeps them), else the test's temp dir.
func artifactsDir(t *testing.T) string {
	dir := t.TempDir()
	if d := os.Getenv("COHORTBOT_TEST_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "web")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// chromium starts a headless Chromium for the test; it skips without one
// unless COHORTBOT_TEST_REQUIRE_CHROMIUM is set (CI), where it fails.
func chromium(t *testing.T) context.Context {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("COHORTBOT_TEST_REQUIRE_CHROMIUM") != "" {
			t.Fatal("no " + chromiumPath + " though COHORTBOT_TEST_REQUIRE_CHROMIUM is set (apt-get install chromium)")
		}
		t.Skip("no " + chromiumPath + " (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser, which lives as long as its
	// context: no timeout on that one, only on the later steps.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	return tctx
}

// eval runs JavaScript in the page (DevTools evaluation, which the page's
// CSP does not govern), awaiting a returned promise.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

// axeViolation is one serious or critical finding of axe-core.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            int
}

const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
	.filter(v => v.impact === 'serious' || v.impact === 'critical')
	.map(v => ({ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.length})))`

// TestPagesInBrowser loads each page of the seeded program in a real
// headless Chromium under the pages' CSP: the heatmap cells per mentee and
// week, the overview's figures, every command on /help, the stylesheet
// applied, a screenshot of each page, and no serious or critical axe-core
// violation.
func TestPagesInBrowser(t *testing.T) {
	t.Parallel() // its own store, server and browser
	ctx := chromium(t)
	st := openStore(t, testdb.SQLite(t))
	seed(t, st, program())
	ladderProgram(t, st) // the cohort page (and docs/cohort-page.png) shows ladder progress
	s := serve(t, st, nil)
	dir := artifactsDir(t)

	pages := []struct {
		name, path string
		js         string
		want       any
	}{
		{name: "overview", path: "/",
			js: `Array.from(document.querySelectorAll('tr.cohort')).map(tr => [tr.dataset.slug,
				tr.querySelector('.mentees').innerText, tr.querySelector('.rate').innerText, tr.querySelector('.graduated').innerText])`,
			want: []any{[]any{"sig-apps-2027", "3", "75%", "1/3"}, []any{"sig-node-2026", "2", "67%", "1/2"}}},
		{name: "cohort-page", path: "/cohorts/" + publicRepo + "/sig-apps-2027",
			js: `Array.from(document.querySelectorAll('svg.heatmap g[data-mentee]')).flatMap(g => {
				const letters = Array.from(g.querySelector('text.l').textContent);
				return Array.from(g.querySelectorAll('rect')).slice(0, 3)
					.filter(r => r.getBoundingClientRect().width > 20 && getComputedStyle(r).fill !== 'rgb(0, 0, 0)')
					.map((r, i) => g.dataset.mentee + '/' + (i + 1) + '=' + r.getAttribute('class') + ':' + letters[i]);
			})`,
			want: []any{"bob/1=checked-in:C", "bob/2=checked-in:C", "bob/3=checked-in:C",
				"carol/1=checked-in:C", "carol/2=missed:M", "carol/3=checked-in:C",
				"dave/1=checked-in:C", "dave/2=away:A", "dave/3=missed:M"}},
		{name: "help", path: "/help",
			js: `Array.from(document.querySelectorAll('tr[data-command] code')).map(c => c.innerText)`, want: helpUsages()},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(s.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
				t.Fatal(err)
			}
			got := eval[any](t, ctx, p.js)
			headerBG := eval[string](t, ctx, `getComputedStyle(document.querySelector('header')).backgroundColor`)
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			eval[chromedp.Void](t, ctx, axeSource)
			violations := eval[[]axeViolation](t, ctx, axeRun)
			if err := os.WriteFile(filepath.Join(dir, p.name+".png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(p.want, got); d != "" {
				t.Errorf("what the page shows (-want +got):\n%s", d)
			}
			if headerBG != "rgb(36, 41, 47)" {
				t.Errorf("the stylesheet was not applied under the CSP (header background %q)", headerBG)
			}
			if len(violations) > 0 {
				t.Errorf("axe-core: serious or critical violations: %+v", violations)
			}
			if out := os.Getenv("COHORTBOT_DOCS_SCREENSHOT"); out != "" && p.name == "cohort-page" {
				if err := os.WriteFile(out, shot, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func helpUsages() []any {
	var out []any
	for _, c := range bot.Commands {
		out = append(out, c.Usage)
	}
	return out
}

// TestSignInInBrowser: in a real Chromium, a visitor who can read the
// private repository signs in through the simulated GitHub, lands back on
// the private cohort's page and sees it (the cookies work across the
// redirects as a browser handles them); after signing out it is gone.
func TestSignInInBrowser(t *testing.T) {
	t.Parallel() // its own store, server and browser
	ctx := chromium(t)
	s, sim := oauthSite(t, testdb.SQLite(t))
	sim.SignInAs("reader")
	title := `document.querySelector('h1').textContent`
	if err := chromedp.Do(ctx, chromedp.Navigate(s.srv.URL+privatePath), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	before := eval[string](t, ctx, title)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href^="/login"]`)), chromedp.WaitVisible(chromedp.CSS("form[action='/logout']"))); err != nil {
		t.Fatal(err)
	}
	after := eval[string](t, ctx, title)
	url := eval[string](t, ctx, `location.pathname`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form[action='/logout'] button")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/login"]`)),
		chromedp.Navigate(s.srv.URL+privatePath), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	out := eval[string](t, ctx, title)
	got := []string{before, url, after, out}
	if d := cmp.Diff([]string{"Cohort not found", privatePath, "Acme approvers", "Cohort not found"}, got); d != "" {
		t.Errorf("before sign-in, landing path, after sign-in, after sign-out (-want +got):\n%s", d)
	}
}
