package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRetentionMeasuredBySearch: the service's own Measurer (SPEC §12 over
// §10's search): after the close, mia opens a pull request and sam reviews
// it; noah's pull request from before the close does not count. The
// simulated GitHub allows only 5 searches a minute, so the 90-day sweep
// (16 searches) stops at the limit; the service is restarted, and the next
// ticks resume the sweep: one follow-up, with the counts the searches gave,
// and no mentee searched twice.
func TestRetentionMeasuredBySearch(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.OpenPR("noah", repo, "Before the close", "")
		e.Sim.CommentAt("mentor-ann", repo, f.hub, "/graduate @mia\n/graduate @noah", week1)
		e.idle()
		e.tick(dayAfterEnd)
		if e.Sim.Issue(repo, f.hub).State != "closed" {
			t.Fatal("the cohort did not close")
		}
		e.clock.Set(dayAfterEnd.AddDate(0, 0, 10))
		pr := e.Sim.OpenPR("mia", repo, "Docs: mentoring FAQ", "")
		e.Sim.SubmitReview("sam", repo, pr.Number, "APPROVED")
		e.idle()

		e.Sim.SetSearchLimit(5)
		day90 := dayAfterEnd.AddDate(0, 0, 90)
		e.tickFails(day90)
		if got := e.followUps(f.hub); len(got) != 0 {
			t.Fatalf("a follow-up before every mentee was measured: %q", got)
		}
		// Redeployed mid-sweep: the mentees measured so far are kept in
		// the database, the new process measures the rest.
		if err := e.Restart(t.Context()); err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := 1; i <= 6 && len(got) == 0; i++ {
			// A minute later the search window has room again.
			at := day90.Add(time.Duration(i) * time.Minute)
			e.clock.Set(at)
			e.Server.Deps.Tick(t.Context(), at)
			e.idle()
			got = e.followUps(f.hub)
		}
		if len(got) != 1 {
			t.Fatalf("%d follow-ups after the sweep resumed, want 1", len(got))
		}
		for _, want := range []string{"| @\u2060mia | graduated | 1 | ✅ yes |", "| @\u2060sam | not graduated | 1 | ✅ yes |",
			"| @\u2060noah | graduated | 0 | — no |", "**Still active 2/8** · **graduated and still active 1/2**"} {
			if !strings.Contains(got[0], want) {
				t.Errorf("follow-up lacks %q:\n%s", want, got[0])
			}
		}
		// The searches are §12's: authored since the close, reviewed since.
		var searches []string
		for _, r := range e.Sim.Requests() {
			v, _ := url.ParseQuery(r.Query)
			if q := v.Get("q"); r.Path == "/search/issues" && r.Status == 200 && strings.Contains(q, "mia") {
				searches = append(searches, q)
			}
		}
		if len(searches) != 2 {
			t.Fatalf("mia's activity answered %d times, want twice (authored, reviewed): %q", len(searches), searches)
		}
		for _, q := range []string{"created:>=2027-03-22", "updated:>=2027-03-22"} {
			if !strings.Contains(strings.Join(searches, " "), q) {
				t.Errorf("no search with %s among %q", q, searches)
			}
		}
	})
}
