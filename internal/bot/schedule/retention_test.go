package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/google/go-cmp/cmp"
)

func TestFollowUpPlan(t *testing.T) {
	closed := time.Date(2027, 3, 22, 0, 5, 0, 0, time.UTC)
	at := func(d int) time.Time { return closed.AddDate(0, 0, d) }
	tests := []struct {
		name     string
		days     []int
		finished map[int]bool
		now      time.Time
		due      []int
		next     time.Time
	}{
		{name: "just closed", days: []int{90, 365}, now: closed, next: at(90)},
		{name: "a second before 90 days", days: []int{90, 365}, now: at(90).Add(-time.Second), next: at(90)},
		{name: "90 days", days: []int{90, 365}, now: at(90), due: []int{90}, next: at(365)},
		{name: "90 done", days: []int{90, 365}, finished: map[int]bool{90: true}, now: at(100), next: at(365)},
		{name: "after downtime both due", days: []int{90, 365}, now: at(400), due: []int{90, 365}},
		{name: "all done", days: []int{90, 365}, finished: map[int]bool{90: true, 365: true}, now: at(400)},
		{name: "none configured", days: nil, now: at(400)},
		{name: "a measured but unposted one is still due", days: []int{30}, finished: map[int]bool{30: false}, now: at(31), due: []int{30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			due, next := followUpPlan(closed, tc.days, tc.finished, tc.now)
			if d := cmp.Diff(tc.due, due); d != "" {
				t.Errorf("due (-want +got):\n%s", d)
			}
			if !next.Equal(tc.next) {
				t.Errorf("next = %v, want %v", next, tc.next)
			}
		})
	}
}

func TestRenderFollowUp(t *testing.T) {
	figs := `[{"handle":"mia","outcome":"graduated","prs":4,"active":true},` +
		`{"handle":"noah","outcome":"graduated","prs":0,"active":false},` +
		`{"handle":"olga","outcome":"not-graduated","prs":1,"active":true},` +
		`{"handle":"pete","outcome":"withdrawn","prs":0,"active":false}]`
	c := store.Cohort{Spec: cohort.Spec{Name: "SIG Apps @reviewers 2027"}}
	f := store.FollowUp{Day: 90, Figures: figs, MeasuredAt: time.Date(2027, 6, 20, 1, 0, 0, 0, time.UTC)}
	got, err := renderFollowUp(c, f, time.Date(2027, 3, 22, 0, 5, 0, 0, time.UTC), scopeTerms([]string{"kubernetes", "etcd-io/etcd"}))
	if err != nil {
		t.Fatal(err)
	}
	want := "### Retention follow-up: 90 days after the close\n\n" +
		"SIG Apps @\u2060reviewers 2027 closed on 2027-03-22. Measured on 2027-06-20: pull requests each mentee authored or reviewed in `org:kubernetes` `repo:etcd-io/etcd` since the close. A mentee with at least one is **still active**.\n\n" +
		"| Mentee | Outcome | PRs since the close | Still active |\n|---|---|---|---|\n" +
		"| @\u2060mia | graduated | 4 | ✅ yes |\n" +
		"| @\u2060noah | graduated | 0 | — no |\n" +
		"| @\u2060olga | not graduated | 1 | ✅ yes |\n" +
		"| @\u2060pete | withdrawn | 0 | — no |\n\n" +
		"**Still active 2/4** · **graduated and still active 1/2**\n"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("follow-up (-want +got):\n%s", d)
	}
	if strings.Contains(strings.ReplaceAll(got, "@\u2060", ""), "@") {
		t.Errorf("the follow-up mentions someone:\n%s", got)
	}
	total, active, grad, gradActive := retentionTotals([]templates.RetentionMentee{{Outcome: "graduated", Active: true}})
	if total != 1 || active != 1 || grad != 1 || gradActive != 1 {
		t.Errorf("totals %d %d %d %d", total, active, grad, gradActive)
	}
}
