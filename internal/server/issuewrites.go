package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
)

// recordIssueWrites notes, before it leaves, every request that changes an
// issue's body, labels, state or assignees (a non-GET to
// /repos/{owner}/{repo}/issues/{n}, …/labels…, …/assignees), in the store's
// issue_writes table. A check-in uses it to decide whether the issue copy in
// its webhook can miss a write of ours (internal/bot/mentee_write.go). The
// record is taken in the chain below the pacer, so a write waiting for its
// turn is recorded when it is sent, not when it was asked for.
//
// A failure to record is logged and the write goes ahead: the cost of a
// missing record is a stale copy used once, which the check-in's own
// freshness margin covers in all but a same-second race.
func recordIssueWrites(st *store.Store, now func() time.Time) githubapp.ClientMiddleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				if repo, n, ok := issueWritePath(r.URL.Path); ok {
					if err := st.NoteIssueWrite(r.Context(), repo, n, now()); err != nil {
						zerolog.Ctx(r.Context()).Warn().Err(err).Str("repo", repo).Int("issue", n).Msg("could not record an issue write")
					}
				}
			}
			return next.RoundTrip(r)
		})
	}
}

// issueWritePath finds owner/repo and the issue number in a REST path that
// writes to the issue itself (its body, state, labels or assignees). Comment,
// reaction and sub-issue paths do not change what a check-in rewrites.
// GitHub Enterprise's /api/v3 prefix is allowed.
func issueWritePath(p string) (string, int, bool) {
	i := strings.Index(p, "/repos/")
	if i < 0 {
		return "", 0, false
	}
	parts := strings.Split(strings.Trim(p[i+len("/repos/"):], "/"), "/")
	if len(parts) < 4 || parts[2] != "issues" {
		return "", 0, false
	}
	n, err := strconv.Atoi(parts[3])
	if err != nil || n <= 0 {
		return "", 0, false
	}
	if len(parts) > 4 && parts[4] != "labels" && parts[4] != "assignees" {
		return "", 0, false
	}
	return parts[0] + "/" + parts[1], n, true
}
