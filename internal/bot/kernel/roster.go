package kernel

import (
	"context"
)

// RosterEditor is what roster changes need from GitHub beyond commenting,
// labelling and creating issues.
type RosterEditor interface {
	SetIssueTitle(ctx context.Context, repo string, number int, title string) error
	ReopenIssue(ctx context.Context, repo string, number int) error
	AddIssueAssignees(ctx context.Context, repo string, number int, users ...string) error
	RemoveIssueAssignees(ctx context.Context, repo string, number int, users ...string) error
}
