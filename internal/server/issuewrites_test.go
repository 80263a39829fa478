package server

import "testing"

func TestIssueWritePath(t *testing.T) {
	cases := []struct {
		path string
		repo string
		n    int
		ok   bool
	}{
		{"/repos/o/r/issues/7", "o/r", 7, true},
		{"/api/v3/repos/o/r/issues/7", "o/r", 7, true},
		{"/repos/o/r/issues/7/labels", "o/r", 7, true},
		{"/repos/o/r/issues/7/labels/checkin%2Fmissed", "o/r", 7, true},
		{"/repos/o/r/issues/7/assignees", "o/r", 7, true},
		{"/repos/o/r/issues/7/comments", "", 0, false},
		{"/repos/o/r/issues/7/sub_issues", "", 0, false},
		{"/repos/o/r/issues/comments/9/reactions", "", 0, false},
		{"/repos/o/r/issues", "", 0, false},
		{"/repos/o/r/labels", "", 0, false},
		{"/repos/o/r/pulls/7/requested_reviewers", "", 0, false},
		{"/repos/o/r/issues/0", "", 0, false},
		{"/repos/o/r/issues/x", "", 0, false},
		{"/user", "", 0, false},
	}
	for _, c := range cases {
		repo, n, ok := issueWritePath(c.path)
		if repo != c.repo || n != c.n || ok != c.ok {
			t.Errorf("issueWritePath(%q) = %q, %d, %v; want %q, %d, %v", c.path, repo, n, ok, c.repo, c.n, c.ok)
		}
	}
}
