package kernel

import (
	"context"
	"time"
)

// Measurer counts the pull requests login authored or reviewed in scope
// (repositories owner/name or organizations owner) since since: the search
// API of SPEC §10, paced within its 30 requests a minute, plugs in here. An
// error leaves the follow-up for the next tick, which resumes with the
// mentees not measured yet.
type Measurer interface {
	ActiveSince(ctx context.Context, installation int64, login string, scope []string, since time.Time) (int, error)
}
