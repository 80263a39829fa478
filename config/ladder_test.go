package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLadderConfig(t *testing.T) {
	r, err := ParseRepo([]byte(`tracks:
  reviewer:
    requirements: {reviewed_prs: 5, merged_prs: 2}
    scope: [kubernetes/kubernetes, " kubernetes-sigs "]
    since: cohort_start
  member:
    requirements: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Ladder{Requirements: map[string]int{ReviewedPRs: 5, MergedPRs: 2},
		Scope: []string{"kubernetes/kubernetes", "kubernetes-sigs"}, Since: SinceCohortStart}
	if d := cmp.Diff(want, r.Track("Reviewer").Ladder); d != "" {
		t.Errorf("reviewer (-want +got):\n%s", d)
	}
	if got := r.Track("Reviewer").Measured(); !cmp.Equal(got, []string{ReviewedPRs, MergedPRs}) {
		t.Errorf("measured %v", got)
	}
	if got := r.Track("Member").Measured(); len(got) != 0 {
		t.Errorf("member with requirements {} measures %v", got)
	}
	d := DefaultRepo()
	for step, want := range map[string][]string{"Member": {MergedPRs}, "Reviewer": {ReviewedPRs}, "Approver": {ReviewedPRs}, "Subproject owner": nil} {
		if got := d.Track(step).Measured(); !cmp.Equal(got, want) {
			t.Errorf("default %s measures %v, want %v", step, got, want)
		}
	}
	if d.Track("Approver").Requirements[ReviewedPRs] != 30 || d.Track("Member").Requirements[MergedPRs] != 1 {
		t.Error("default thresholds are not community-membership.md's")
	}
	if got := d.Track("Reviewer").ScopeOr("kubernetes"); !cmp.Equal(got, []string{"kubernetes"}) {
		t.Errorf("default scope %v", got)
	}
}

func TestLadderConfigErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown requirement", "tracks:\n  reviewer:\n    requirements: {approved_prs: 3}\n",
			"tracks.reviewer.requirements.approved_prs (line 3): not a requirement cohortbot can measure"},
		{"negative", "tracks:\n  reviewer:\n    requirements:\n      reviewed_prs: -1\n",
			"tracks.reviewer.requirements.reviewed_prs (line 4): must be a whole number"},
		{"not a number", "tracks:\n  reviewer:\n    requirements: {reviewed_prs: lots}\n",
			`tracks.reviewer.requirements (line 3): must be a whole number, not "lots"`},
		{"bad scope", "tracks:\n  approver:\n    scope: [kubernetes, https://github.com/x/y]\n",
			`tracks.approver.scope[1] (line 3): "https://github.com/x/y" is neither an owner`},
		{"scope owner/name/extra", "tracks:\n  approver:\n    scope:\n      - a/b/c\n",
			`tracks.approver.scope[0] (line 4): "a/b/c" is neither`},
		{"bad since", "tracks:\n  member:\n    since: last_year\n", `tracks.member.since (line 3): "last_year": use cohort_start`},
		{"unknown key", "tracks:\n  member:\n    requirement: {merged_prs: 1}\n", "tracks.member.requirement (line 3): unknown key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRepo([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
