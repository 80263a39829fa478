package ladder

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/cohort"
)

func TestQuery(t *testing.T) {
	start := cohort.Date{Year: 2027, Month: 1, Day: 11}
	tests := []struct {
		name, req string
		scope     []string
		since     *cohort.Date
		want      string
	}{
		{"reviewed, org, all time", config.ReviewedPRs, []string{"kubernetes"}, nil,
			"is:pr reviewed-by:mia -author:mia org:kubernetes"},
		{"merged, repos, since start", config.MergedPRs, []string{"kubernetes/kubernetes", "kubernetes/website"}, &start,
			"is:pr is:merged author:mia repo:kubernetes/kubernetes repo:kubernetes/website merged:>=2027-01-11"},
		{"reviewed since start", config.ReviewedPRs, []string{"k8s", "a/b"}, &start,
			"is:pr reviewed-by:mia -author:mia org:k8s repo:a/b updated:>=2027-01-11"},
		{"unknown requirement", "approved_prs", []string{"k8s"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Query(tc.req, "mia", tc.scope, tc.since); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if got := WebURL("https://github.com/", "is:pr author:mia org:k8s"); got != "https://github.com/search?type=pullrequests&q=is%3Apr+author%3Amia+org%3Ak8s" {
		t.Errorf("web URL %s", got)
	}
}

func TestRowStatus(t *testing.T) {
	at := time.Date(2027, 1, 18, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		row       Row
		met       bool
		mark, cnt string
	}{
		{"met", Row{Target: 20, Total: 20, Measured: at}, true, "✅", "20"},
		{"not yet", Row{Target: 20, Total: 12, Measured: at}, false, "⏳", "12"},
		{"incomplete above target is not met", Row{Target: 2, Total: 5, Incomplete: true, Measured: at}, false, "⏳",
			"5 (GitHub's results were incomplete: not counted as met)"},
		{"never measured", Row{Target: 1}, false, "⏳", "not measured yet"},
		{"failed", Row{Target: 1, Total: 3, Failure: "no such account", Measured: at}, false, "⚠️", "could not be measured: no such account"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mark, cnt := tc.row.Status()
			if tc.row.Met() != tc.met || mark != tc.mark || cnt != tc.cnt {
				t.Errorf("met %v %q %q", tc.row.Met(), mark, cnt)
			}
		})
	}
	if AllMet(nil) {
		t.Error("nothing measured is not ready")
	}
	rows := []Row{{Requirement: config.ReviewedPRs, Target: 20, Total: 12, Measured: at}, {Requirement: config.MergedPRs, Target: 1, Total: 1, Measured: at}}
	if got := Figures(rows); got != "reviewed 12/20 ⏳ · merged 1/1 ✅" {
		t.Errorf("figures %q", got)
	}
	if r := Region("Reviewer", rows, ScopeNote([]string{"kubernetes"}, ""), "https://github.com"); !strings.Contains(r, "| PRs reviewed | 12 | 20 | ⏳ | [search](https://github.com/search?type=pullrequests&q=") ||
		!strings.Contains(r, "in org:kubernetes, all time") || strings.Contains(r, "ready to nominate") {
		t.Errorf("region:\n%s", r)
	}
}

// The pacer never lets more than 30 searches into any minute, and a sweep
// of n searches takes ⌈n/30⌉−1 minutes from a fresh window.
func TestPacerSchedule(t *testing.T) {
	for _, n := range []int{1, 30, 31, 300, 600} {
		s := Schedule(n, SearchLimit, SearchPer)
		for i := SearchLimit; i < len(s); i++ {
			if s[i]-s[i-SearchLimit] < SearchPer {
				t.Fatalf("n=%d: searches %d and %d within %s", n, i-SearchLimit, i, s[i]-s[i-SearchLimit])
			}
		}
		if want := time.Duration((n-1)/SearchLimit) * time.Minute; s[n-1] != want {
			t.Errorf("n=%d: last search at %s, want %s", n, s[n-1], want)
		}
	}
}

func TestPacerHonoursHeaders(t *testing.T) {
	now := time.Date(2027, 1, 18, 9, 0, 0, 0, time.UTC)
	p := NewPacer(0, 0, func() time.Time { return now })
	if _, ok := p.Take(1); !ok {
		t.Fatal("first search refused")
	}
	// Another process used the window: GitHub says none left until :01.
	p.Observe(1, 0, now.Add(time.Minute))
	if at, ok := p.Take(1); ok || !at.Equal(now.Add(time.Minute)) {
		t.Errorf("with remaining 0: %v %v", at, ok)
	}
	if _, ok := p.Take(2); !ok {
		t.Error("another installation is not limited")
	}
	p.Pause(2, now.Add(90*time.Second))
	p.Pause(2, now.Add(10*time.Second)) // never shortens
	if at, ok := p.Take(2); ok || !at.Equal(now.Add(90*time.Second)) {
		t.Errorf("paused: %v %v", at, ok)
	}
	now = now.Add(2 * time.Minute)
	if _, ok := p.Take(1); !ok {
		t.Error("after the reset")
	}
	if d := cmp.Diff(now.Add(30*time.Second), (Quota{RetryAfter: 30 * time.Second}).Until(now)); d != "" {
		t.Error(d)
	}
}
