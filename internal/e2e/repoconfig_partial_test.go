package e2e

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// TestPartialRepoConfig files a new-cohort request under a cohortbot.yml
// that sets only some keys (SPEC §7): the file is completed with the
// defaults of the others, a default never makes it invalid, and keys the
// file set that conflict are reported by name, with the source shown
// without a dangling "@" (the ref is the default branch, unknown here).
func TestPartialRepoConfig(t *testing.T) {
	sixMentees := "@mia -> @mentor-ann\n@noah -> @mentor-ann\n@olga -> @mentor-ben\n@pete\n@quinn\n@rosa"
	tests := []struct {
		name    string
		yaml    string
		fields  map[string]string
		created bool
		// report is the config-error comment's sentence naming the file,
		// "" when there must be no such comment.
		report string
	}{
		{name: "max_mentees alone", yaml: "max_mentees: 6\n",
			fields: with(validFields(), "Mentees", sixMentees), created: true},
		{name: "max_weeks alone below the default min_weeks", yaml: "max_weeks: 3\n",
			fields: with(validFields(), "End date", "2027-01-31"), created: true},
		{name: "conflicting keys the file set", yaml: "max_mentees: 6\nrecommended_mentees: 9\n",
			fields: with(validFields(), "Mentees", sixMentees),
			report: "`.github/cohortbot.yml` in `" + repo + "` is invalid at `recommended_mentees`: is 9, more than max_mentees (6)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start(t, func(e *env) {
				e.Sim.PutFile(repo, ".github/cohortbot.yml", tc.yaml)
				req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(tc.fields), "cohort/request")
				e.idle()
				if got := len(e.issuesWithLabel("cohort/hub")) == 1; got != tc.created {
					t.Errorf("cohort created: %v, want %v; bot said %q", got, tc.created, bodies(e.botComments(req.Number)))
				}
				var report []string
				for _, c := range e.botComments(req.Number) {
					if strings.Contains(c.Body, "cohortbot:config-error") {
						report = append(report, sentenceWith(c.Body, "is invalid"))
					}
				}
				var want []string
				if tc.report != "" {
					want = []string{tc.report}
				}
				if d := cmp.Diff(want, report); d != "" {
					t.Errorf("config-error comments (-want +got):\n%s", d)
				}
			})
		})
	}
}

// sentenceWith returns the line of body containing s.
func sentenceWith(body, s string) string {
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func bodies(cs []*ghsim.Comment) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Body)
	}
	return out
}
