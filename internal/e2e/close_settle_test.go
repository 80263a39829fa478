package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// weekOf is a moment inside week n of the test cohort (weeks start on
// Mondays from 2027-01-11, UTC).
func weekOf(n int) time.Time { return week1.AddDate(0, 0, 7*(n-1)) }

// dayAfterEnd is the morning after the test cohort's end date (2027-03-21).
var dayAfterEnd = time.Date(2027, 3, 22, 9, 0, 0, 0, time.UTC)

// mdTables splits Markdown into its tables: each run of lines starting with
// "|". Two tables with no blank line between them come out as one.
func mdTables(body string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "|") {
			cur = append(cur, l)
			continue
		}
		if cur != nil {
			out = append(out, cur)
			cur = nil
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// labelAdds counts, per issue number, how often each label was added
// (POST …/issues/N/labels) among reqs.
func labelAdds(reqs []ghsim.Request) map[int]map[string]int {
	out := map[int]map[string]int{}
	for _, r := range reqs {
		var n int
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/labels") {
			continue
		}
		if _, err := fmt.Sscanf(r.Path, "/repos/"+repo+"/issues/%d/labels", &n); err != nil {
			continue
		}
		var body struct{ Labels []string }
		if json.Unmarshal(r.Body, &body) != nil {
			var list []string
			_ = json.Unmarshal(r.Body, &list)
			body.Labels = list
		}
		if out[n] == nil {
			out[n] = map[string]int{}
		}
		for _, l := range body.Labels {
			out[n][l]++
		}
	}
	return out
}

// finalReports returns the bodies of the final reports on the hub.
func (e *env) finalReports(hub int) []string {
	var out []string
	for _, c := range e.botComments(hub) {
		if strings.Contains(c.Body, "cohortbot:final-report") {
			out = append(out, c.Body)
		}
	}
	return out
}

// TestCloseAfterAGapSettlesEveryWeek ticks at week 1 and then only the day
// after the end date (SPEC §6): the close settles weeks 2–10 — their
// checkin/missed and mentee/at-risk labels added one by one before the
// issues close, the board final with no "not yet", the report's week table
// naming who was missing, the due midpoint folded in — with exactly one new
// hub comment.
func TestCloseAfterAGapSettlesEveryWeek(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		for _, m := range []string{"mia", "noah", "olga"} {
			e.Sim.CommentAt(m, repo, f.mentees[m], complete, week1)
		}
		e.idle()
		e.tick(weekOf(2).Add(-6 * time.Hour)) // week 1's boundary: Tuesday of week 2
		// Then nobody runs the scheduler until the end. Mia checks in every
		// week, Noah in week 2 only; Pete is away in week 5; week 7 is skipped.
		for w := 2; w <= 10; w++ {
			e.clock.Set(weekOf(w))
			e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, weekOf(w))
			if w == 2 {
				e.Sim.CommentAt("noah", repo, f.mentees["noah"], complete, weekOf(w))
			}
			if w == 5 {
				e.Sim.CommentAt("pete", repo, f.hub, "/away", weekOf(w))
			}
			if w == 6 {
				e.Sim.CommentAt(organizer, repo, f.hub, "/skip-week 7", weekOf(w))
			}
			e.idle()
		}
		hubComments := len(e.botComments(f.hub))
		e.Sim.ResetRequests()
		e.tick(dayAfterEnd)
		reqs := e.Sim.Requests()

		if n := len(e.botComments(f.hub)) - hubComments; n != 1 {
			t.Errorf("the close added %d hub comments, want exactly 1 (the final report)", n)
		}
		reports := e.finalReports(f.hub)
		if len(reports) != 1 {
			t.Fatalf("%d final reports, want 1", len(reports))
		}
		others := "olga, pete, quinn, rosa, sam, tess"
		want := [][]string{
			{
				"| Week | Checked in | Missing |",
				"|---|---|---|",
				"| 2 | 2/8 | " + others + " |",
				"| 3 | 1/8 | noah, " + others + " |",
				"| 4 | 1/8 | noah, " + others + " |",
				"| 5 | 1/7 | noah, olga, quinn, rosa, sam, tess |",
				"| 6 | 1/8 | noah, " + others + " |",
				"| 7 | skipped | — |",
				"| 8 | 1/8 | noah, " + others + " |",
				"| 9 | 1/8 | noah, " + others + " |",
				"| 10 | 1/8 | noah, " + others + " |",
			},
			{
				"| Mentee | Check-ins | Rate | Tasks done | Tasks open |",
				"|---|---|---|---|---|",
				"| @mia | 5/5 | 100% | 0 | 0 |",
				"| @noah | 2/5 | 40% | 0 | 0 |",
				"| @olga | 1/5 | 20% | 0 | 0 |",
				"| @pete | 0/4 | 0% | 0 | 0 |",
				"| @quinn | 0/5 | 0% | 0 | 0 |",
				"| @rosa | 0/5 | 0% | 0 | 0 |",
				"| @sam | 0/5 | 0% | 0 | 0 |",
				"| @tess | 0/5 | 0% | 0 | 0 |",
			},
			{
				"| Mentee | Weeks checked in | Tasks done | Outcome | Last measured ladder progress |",
				"|---|---|---|---|---|",
				"| @mia | 10/10 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @noah | 2/9 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @olga | 1/9 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @pete | 0/8 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @quinn | 0/9 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @rosa | 0/9 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @sam | 0/9 | 0 | not graduated | reviewed 0/20 ⏳ |",
				"| @tess | 0/9 | 0 | not graduated | reviewed 0/20 ⏳ |",
			},
		}
		if d := cmp.Diff(want, mdTables(reports[0])); d != "" {
			t.Errorf("report tables (weeks settled, folded midpoint, mentees; -want +got):\n%s\n%s", d, reports[0])
		}
		for _, heading := range []string{"### Weeks 2–10 ended", "### Halfway: 5 of 10 weeks"} {
			if !strings.Contains(reports[0], "\n\n"+heading+"\n\n") {
				t.Errorf("report lacks the section %q set apart by blank lines:\n%s", heading, reports[0])
			}
		}
		for _, c := range e.botComments(f.hub) {
			if strings.Contains(c.Body, "cohortbot:midpoint") {
				t.Errorf("a midpoint comment was posted besides the report:\n%s", c.Body)
			}
		}

		missed := e.labelled("checkin/missed")
		slices.Sort(missed)
		atRisk := e.labelled("mentee/at-risk")
		slices.Sort(atRisk)
		notMia := []string{"noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}
		if d := cmp.Diff(notMia, missed); d != "" {
			t.Errorf("checkin/missed after the close (-want +got):\n%s", d)
		}
		if d := cmp.Diff(notMia, atRisk); d != "" {
			t.Errorf("mentee/at-risk after the close (-want +got):\n%s", d)
		}
		adds := labelAdds(reqs)
		for _, m := range allMentees {
			n := f.mentees[m]
			// checkin/missed is added once to whom it is new (the others
			// have had it since week 1's boundary); mentee/at-risk to all
			// but Mia.
			wantAdds := map[string]int{"mentee/at-risk": 1}
			switch m {
			case "mia":
				wantAdds = map[string]int{}
			case "noah", "olga":
				wantAdds["checkin/missed"] = 1
			}
			got := map[string]int{}
			for l, k := range adds[n] {
				if l == "checkin/missed" || l == "mentee/at-risk" {
					got[l] = k
				}
			}
			if d := cmp.Diff(wantAdds, got); d != "" {
				t.Errorf("@%s: label adds during the close (-want +got):\n%s", m, d)
			}
		}
		e.wantLabelsBeforeClose(t, reqs, f)
		e.wantFinalBoard(t, f.hub, map[string]string{
			"mia":  "| @mia | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ |",
			"noah": "| @noah | ✅ | ✅ | ❌ | ❌ | ❌ | ❌ | ⏭️ | ❌ | ❌ | ❌ |",
			"pete": "| @pete | ❌ | ❌ | ❌ | ❌ | 💤 | ❌ | ⏭️ | ❌ | ❌ | ❌ |",
		})

		before := e.writes()
		e.tick(dayAfterEnd.Add(time.Hour))
		if n := e.writes() - before; n != 0 {
			t.Errorf("a tick after the close made %d writes", n)
		}
	})
}

// wantLabelsBeforeClose checks that no label write to a mentee issue came
// after that issue was closed, and none replaced the label set (PUT).
func (e *env) wantLabelsBeforeClose(t *testing.T, reqs []ghsim.Request, f cohortFixture) {
	t.Helper()
	closedAt := map[string]int{}
	for i, r := range reqs {
		if r.Method == "PATCH" && strings.Contains(string(r.Body), `"state":"closed"`) {
			closedAt[r.Path] = i
		}
	}
	for m, n := range f.mentees {
		issue := fmt.Sprintf("/repos/%s/issues/%d", repo, n)
		at, ok := closedAt[issue]
		if !ok {
			t.Errorf("@%s's issue was not closed", m)
			continue
		}
		for i, r := range reqs {
			if !strings.HasPrefix(r.Path, issue+"/labels") {
				continue
			}
			if r.Method == "PUT" {
				t.Errorf("@%s's labels were replaced as a set: %s %s", m, r.Method, r.Path)
			}
			if i > at && strings.Contains(string(r.Body), "checkin/missed") {
				t.Errorf("@%s: checkin/missed added after the issue was closed", m)
			}
		}
	}
}

// wantFinalBoard checks the hub's board shows no week as "not yet" and
// matches the given rows exactly.
func (e *env) wantFinalBoard(t *testing.T, hub int, rows map[string]string) {
	t.Helper()
	for _, m := range allMentees {
		row := e.boardRow(hub, m)
		if row == "" || strings.Contains(row, "➖") {
			t.Errorf("board row of @%s on a closed cohort: %q", m, row)
		}
		if want, ok := rows[m]; ok {
			if d := cmp.Diff(want, row); d != "" {
				t.Errorf("board row of @%s (-want +got):\n%s", m, d)
			}
		}
	}
}
