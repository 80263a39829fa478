package gh

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// TestCreateIssueSendsWhatGitHubAccepts: the simulated GitHub checks each
// request against GitHub's REST description; an issue without labels or
// assignees used to go out with "labels": null and "assignees": null, which
// GitHub refuses with 422.
func TestCreateIssueSendsWhatGitHubAccepts(t *testing.T) {
	var invalid []string
	sim := ghsim.New(ghsim.Options{
		OnUnknown: func(m, p string) { t.Errorf("unknown %s %s", m, p) },
		OnInvalid: func(m, p, problem string) { invalid = append(invalid, m+" "+p+": "+problem) },
	})
	defer sim.Close()
	sim.AddInstallation(7, "seven")
	sim.AddRepo(7, "seven/repo", false)
	sim.AddUser("ann")
	cc := githubapp.NewClientCreator(sim.URL()+"/", "", sim.AppID(), sim.PrivateKeyPEM())
	raw, err := cc.NewInstallationClient(7)
	if err != nil {
		t.Fatal(err)
	}
	c := New(raw, nil)
	tests := []struct {
		name          string
		in            NewIssue
		wantLabels    []string
		wantAssignees []string
	}{
		{name: "bare", in: NewIssue{Title: "bare"}, wantLabels: []string{}, wantAssignees: []string{}},
		{name: "empty lists", in: NewIssue{Title: "empty", Labels: []string{}, Assignees: []string{}}, wantLabels: []string{}, wantAssignees: []string{}},
		{name: "full", in: NewIssue{Title: "full", Body: "b", Labels: []string{"x"}, Assignees: []string{"ann"}},
			wantLabels: []string{"x"}, wantAssignees: []string{"ann"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is, err := c.CreateIssue(context.Background(), "seven/repo", tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := sim.Issue("seven/repo", is.Number)
			if diff := cmp.Diff([]any{tc.wantLabels, tc.wantAssignees}, []any{got.Labels, got.Assignees}); diff != "" {
				t.Errorf("labels, assignees (-want +got):\n%s", diff)
			}
		})
	}
	if len(invalid) > 0 {
		t.Errorf("requests GitHub would refuse: %q", invalid)
	}
}
