package ghsim

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// TestIssueCreateLabels: which labels a new issue gets depends on the path
// that files it, as on GitHub. The web (an issue form's labels, the label
// picker) applies only labels that exist; the installation's REST create,
// made with push access, applies every label and creates the missing ones.
func TestIssueCreateLabels(t *testing.T) {
	tests := []struct {
		name       string
		existing   []string
		open       func(s *Sim, labels []string) int
		labels     []string
		wantIssue  []string
		wantInRepo []string
	}{
		{
			name:   "web form in a fresh repository: the form's label is dropped",
			open:   webOpen,
			labels: []string{"cohort/request"}, wantIssue: []string{}, wantInRepo: []string{},
		},
		{
			name:     "web form once the label exists: applied",
			existing: []string{"cohort/request"}, open: webOpen,
			labels: []string{"cohort/request"}, wantIssue: []string{"cohort/request"}, wantInRepo: []string{"cohort/request"},
		},
		{
			name:     "web form: existing labels kept, missing ones dropped",
			existing: []string{"Triage"}, open: webOpen,
			labels: []string{"triage", "nope"}, wantIssue: []string{"Triage"}, wantInRepo: []string{"Triage"},
		},
		{
			name:   "REST create by the installation: missing labels are created",
			open:   func(s *Sim, labels []string) int { return restOpen(t, s, labels) },
			labels: []string{"cohort/hub"}, wantIssue: []string{"cohort/hub"}, wantInRepo: []string{"cohort/hub"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSim(t, Options{})
			for _, l := range tt.existing {
				s.CreateLabel(testRepo, l, "")
			}
			n := tt.open(s, tt.labels)
			if diff := cmp.Diff(tt.wantIssue, s.Issue(testRepo, n).Labels); diff != "" {
				t.Errorf("issue labels (-want +got):\n%s", diff)
			}
			inRepo := []string{}
			for _, l := range s.Labels(testRepo) {
				inRepo = append(inRepo, l.Name)
			}
			sort.Strings(inRepo)
			if diff := cmp.Diff(tt.wantInRepo, inRepo); diff != "" {
				t.Errorf("repository labels (-want +got):\n%s", diff)
			}
		})
	}
}

func webOpen(s *Sim, labels []string) int {
	return s.OpenIssue("alice", testRepo, "New cohort", "### Cohort name\nX", labels...).Number
}

func restOpen(t *testing.T, s *Sim, labels []string) int {
	title := "Cohort hub"
	is, _, err := botClient(t, s).Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{Title: &title, Labels: &labels})
	if err != nil {
		t.Fatal(err)
	}
	return is.GetNumber()
}
