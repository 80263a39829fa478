package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTaskGolden shows the task texts users see (go test ./templates/
// -update rewrites the golden files).
func TestTaskGolden(t *testing.T) {
	base := TaskCommentData{Mentee: "mia", Mentor: "mentor-ann", Cohort: "SIG Apps <b>reviewers</b> @here",
		Hub: "kubernetes/community#2", Label: "good-first-review", PR: true}
	fallback, issue, nobody := base, base, base
	fallback.Fallback = true
	issue.PR, issue.Fallback = false, true
	nobody.Mentee = ""
	tests := []struct {
		name          string
		render        func() (string, error)
		want, wantNot []string
	}{
		{name: "task pr", render: func() (string, error) { return RenderTaskComment(base) },
			want:    []string{"**Mentoring task for @mia — cohort SIG Apps &lt;b&gt;reviewers&lt;/b&gt; @" + wj + "here, mentor @mentor-ann**", "@mia is asked to review"},
			wantNot: []string{"<b>", "@here"}},
		{name: "task pr fallback", render: func() (string, error) { return RenderTaskComment(fallback) },
			want: []string{"@mia, GitHub would not let cohortbot request your review", "Please review this pull request anyway"}},
		{name: "task issue fallback", render: func() (string, error) { return RenderTaskComment(issue) },
			want: []string{"assign this issue to you", "ten assignees", "Please take this issue anyway", "closed as completed"}},
		{name: "task nobody", render: func() (string, error) { return RenderTaskComment(nobody) },
			want: []string{"No mentee of the cohort can take it", "`/reassign @mentee`"}},
		{name: "task question", render: func() (string, error) {
			return RenderTaskQuestion(TaskQuestionData{Mentor: "mentor-ann", Cohorts: []CohortChoice{
				{Slug: "sig-apps-2027", Name: "SIG Apps 2027"}, {Slug: "sig-cli-2027", Name: "SIG CLI | @everyone"}}})
		}, want: []string{"@mentor-ann: you mentor more than one", "- `/task-cohort sig-apps-2027` — SIG Apps 2027", "@" + wj + "everyone"}},
		{name: "task board", render: func() (string, error) {
			return TaskBoard([]TaskRow{
				{Ref: "k/kubectl#7", URL: "https://github.com/k/kubectl/pull/7", Title: "Fix | pipes @all", PR: true, Mentee: "mia", Mentor: "ann", State: "open", Since: "2027-01-12"},
				{Ref: "k/community#9", URL: "https://github.com/k/community/issues/9", Title: "Docs", Mentee: "noah", Mentor: "ann", State: "done", Since: "2027-01-20"},
				{Ref: "k/kubectl#8", URL: "https://github.com/k/kubectl/pull/8", Title: "Unwanted", PR: true, Mentor: "ann", State: "cancelled", Since: "2027-01-21"},
			}, true), nil
		}, want: []string{`Fix \| pipes @` + wj + "all", "| 🔄 open | 2027-01-12 | @mia | @ann |", "| 🚫 cancelled | 2027-01-21 | — | @ann |", "1 open · 1 done · 3 in all"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", strings.ReplaceAll(tt.name, " ", "-")+".golden.md")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./templates/ -update to create it)", err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("%s differs (-golden +got):\n%s", path, d)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("output contains %q", w)
				}
			}
		})
	}
}
