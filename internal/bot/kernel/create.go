package kernel

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/gh"
)

// Creator is what creating a cohort's issues needs.
type Creator interface {
	CreateIssue(ctx context.Context, repo string, ni gh.NewIssue) (gh.Issue, error)
	SetIssueBody(ctx context.Context, repo string, number int, body string) error
	CloseIssue(ctx context.Context, repo string, number int, reason string) error
	ListIssuesWithLabel(ctx context.Context, repo, label string) ([]gh.Issue, error)
	AddSubIssue(ctx context.Context, repo string, parent int, childID int64) error
}
