package kernel

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/gh"
)

// TickGitHub is what the scheduler's work needs on one installation.
type TickGitHub interface {
	Commenter
	Labeler
	Creator
	TaskWriter
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
}

// Installation gives the scheduler an installation's GitHub access and the
// mentoring repository's config.
type Installation func(ctx context.Context, installationID int64) (TickGitHub, ConfigSource, error)
