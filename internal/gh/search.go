package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/cohortbot/cohortbot/internal/ladder"
)

// ReasonSearch: the search API's own limit (30 requests a minute per
// installation) is being waited out.
const ReasonSearch = "search rate limit"

// isSearch reports a request to the search API, whose limit is its own
// (X-RateLimit-Resource: search): the Pacer leaves it to internal/ladder's
// pacer, so that a sweep meeting the search limit never pauses check-ins.
func isSearch(path string) bool { return strings.Contains(path, "/search/") }

// CountIssues runs one issue search with per_page=1 and returns its
// total_count and incomplete_results, and the search quota the answer
// reported. A search limit (go-github's own refusal, or GitHub's 403/429)
// is *RateLimited with Reason ReasonSearch, the wait in the Quota
// (RetryAfter, or Reset); a query naming an account or
// repository GitHub does not know (or the App cannot see) is a 422
// (IsUnprocessable).
func (c *Client) CountIssues(ctx context.Context, query string) (ladder.Count, ladder.Quota, error) {
	res, resp, err := c.gh.Search.Issues(ctx, query, &github.SearchOptions{ListOptions: github.ListOptions{PerPage: 1}})
	var q ladder.Quota
	if resp != nil && resp.Response != nil {
		q = quotaOf(resp.Response.Header)
	}
	if lq, ok := searchLimit(err, resp); ok {
		return ladder.Count{}, lq, &RateLimited{Until: lq.Reset, Reason: ReasonSearch}
	}
	if err != nil {
		return ladder.Count{}, q, fmt.Errorf("search %q: %w", query, err)
	}
	return ladder.Count{Total: res.GetTotal(), Incomplete: res.GetIncompleteResults()}, q, nil
}

// quotaOf reads the search quota of an answer's X-RateLimit-* headers.
func quotaOf(h http.Header) ladder.Quota {
	rem, err := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err2 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	// A response served from the HTTP cache carries the headers of when
	// it was first fetched: stale, so unknown.
	if err != nil || err2 != nil || h.Get("X-From-Cache") != "" ||
		(h.Get("X-RateLimit-Resource") != "" && h.Get("X-RateLimit-Resource") != "search") {
		return ladder.Quota{}
	}
	return ladder.Quota{Known: true, Remaining: rem, Reset: time.Unix(reset, 0)}
}

// searchLimit tells a search refused for its rate apart, and says how
// long to wait: Retry-After when GitHub gave one, else until the window's
// reset (then RetryAfter is 0), else (a limit without headers) a minute.
// Durations, not instants: the caller adds them to its own clock.
func searchLimit(err error, resp *github.Response) (ladder.Quota, bool) {
	var (
		rle *github.RateLimitError
		abe *github.AbuseRateLimitError
	)
	switch {
	case err == nil:
		return ladder.Quota{}, false
	case errors.As(err, &abe) && abe.RetryAfter != nil:
		return ladder.Quota{RetryAfter: *abe.RetryAfter}, true
	case errors.As(err, &rle):
		if rle.Response != nil {
			if s, e := strconv.Atoi(rle.Response.Header.Get("Retry-After")); e == nil {
				return ladder.Quota{RetryAfter: time.Duration(s) * time.Second}, true
			}
		}
		return ladder.Quota{Known: true, Reset: rle.Rate.Reset.Time}, true
	case errors.As(err, &abe), resp != nil && resp.StatusCode == http.StatusTooManyRequests:
		return ladder.Quota{RetryAfter: time.Minute}, true
	}
	return ladder.Quota{}, false
}

// UserExists reports whether GitHub knows the account login (a renamed or
// deleted account is a 404).
func (c *Client) UserExists(ctx context.Context, login string) (bool, error) {
	_, _, err := c.gh.Users.Get(ctx, login)
	if IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// RepoVisible reports whether the installation can see repo.
func (c *Client) RepoVisible(ctx context.Context, repo string) (bool, error) {
	o, r := Split(repo)
	_, _, err := c.gh.Repositories.Get(ctx, o, r)
	if IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// SearchRefused reports a search GitHub will refuse however often it is
// repeated, other than the 422 of an unknown account or repository: a 400
// (a query it cannot parse), 404 or 410. Its message is recorded as why the
// requirement could not be measured, so one bad query never holds up the
// rest of a sweep.
func SearchRefused(err error) (string, bool) {
	switch status(err) {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusGone:
		var er *github.ErrorResponse
		if errors.As(err, &er) {
			return fmt.Sprintf("GitHub refused the search (%d: %s)", er.Response.StatusCode, er.Message), true
		}
	}
	return "", false
}
