// Package ladder measures a mentee's progress toward the next rung of the
// contributor ladder from public GitHub data (SPEC §10): the search queries,
// their links on GitHub's web UI, what a search answer means, and the pacing
// of the search API (30 requests a minute per installation, a limit of its
// own, apart from the REST budget that check-ins and commands draw on).
package ladder

import (
	"net/url"
	"strings"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/cohort"
)

// Query is the search of one requirement for one mentee:
//
//   - reviewed_prs: is:pr reviewed-by:<mentee> -author:<mentee> <scope> [updated:>=<start>]
//   - merged_prs:   is:pr is:merged author:<mentee> <scope> [merged:>=<start>]
//
// scope terms are repo:owner/name or org:owner, all in the one query. since
// is the cohort's start when only activity since then counts (nil: all
// time). An unknown requirement has no query ("").
func Query(requirement, mentee string, scope []string, since *cohort.Date) string {
	terms := []string{"is:pr"}
	switch requirement {
	case config.ReviewedPRs:
		terms = append(terms, "reviewed-by:"+mentee, "-author:"+mentee)
	case config.MergedPRs:
		terms = append(terms, "is:merged", "author:"+mentee)
	default:
		return ""
	}
	terms = append(terms, ScopeTerms(scope)...)
	if since != nil {
		q := "updated:>="
		if requirement == config.MergedPRs {
			q = "merged:>="
		}
		terms = append(terms, q+since.String())
	}
	return strings.Join(terms, " ")
}

// ScopeTerms turns scope entries into qualifiers: owner/name → repo:, owner
// → org:. (GitHub's org: also finds a user's repositories.)
func ScopeTerms(scope []string) []string {
	out := make([]string, 0, len(scope))
	for _, s := range scope {
		if strings.Contains(s, "/") {
			out = append(out, "repo:"+s)
		} else {
			out = append(out, "org:"+s)
		}
	}
	return out
}

// WebURL is the query on GitHub's web search, so anyone can check a count:
// webBase is the web host ("https://github.com", or GHES's).
func WebURL(webBase, query string) string {
	return strings.TrimRight(webBase, "/") + "/search?type=pullrequests&q=" + url.QueryEscape(query)
}

// Label is how a requirement reads in the region and replies.
func Label(requirement string) string {
	switch requirement {
	case config.ReviewedPRs:
		return "PRs reviewed"
	case config.MergedPRs:
		return "PRs merged"
	}
	return requirement
}

// Short is a requirement as the hub's roster shows it ("reviewed 12/20").
func Short(requirement string) string {
	switch requirement {
	case config.ReviewedPRs:
		return "reviewed"
	case config.MergedPRs:
		return "merged"
	}
	return requirement
}
