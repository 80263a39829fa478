package ghsim

import (
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// TestBodyLimit: GitHub refuses comment and issue bodies over 65,536
// characters with 422, counted in characters, not bytes.
func TestBodyLimit(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	is := s.OpenIssue("alice", testRepo, "t", "b")
	cm := s.Comment("alice", testRepo, is.Number, "hi")
	over, max := strings.Repeat("x", 65537), strings.Repeat("é", 65536) // 131,072 bytes, 65,536 characters
	tests := []struct {
		name string
		call func(body string) error
	}{
		{"create comment", func(b string) error {
			_, _, err := c.Issues.CreateComment(ctxBG, owner, repoName, is.Number, &github.IssueComment{Body: &b})
			return err
		}},
		{"edit comment", func(b string) error {
			_, _, err := c.Issues.EditComment(ctxBG, owner, repoName, cm.ID, &github.IssueComment{Body: &b})
			return err
		}},
		{"create issue", func(b string) error {
			_, _, err := c.Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{Title: github.String("t"), Body: &b})
			return err
		}},
		{"edit issue", func(b string) error {
			_, _, err := c.Issues.Edit(ctxBG, owner, repoName, is.Number, &github.IssueRequest{Body: &b})
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(over); statusOf(err) != 422 {
				t.Errorf("65,537 characters: err = %v, want 422", err)
			}
			if err := tc.call(max); err != nil {
				t.Errorf("65,536 characters: %v", err)
			}
		})
	}
}
