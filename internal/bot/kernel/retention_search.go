package kernel

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/ladder"
)

// Searcher is the one GitHub call retention measurement makes.
type Searcher interface {
	CountIssues(ctx context.Context, query string) (ladder.Count, ladder.Quota, error)
}
