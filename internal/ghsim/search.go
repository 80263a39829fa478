package ghsim

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GET /search/issues over the sim's own pull requests and reviews, with the
// qualifiers cohortbot's ladder progress uses (SPEC §10). GitHub's search
// has a limit of its own: "the REST API has a custom rate limit for
// searching … up to 30 requests per minute" for an installation, reported
// in X-RateLimit-* headers with X-RateLimit-Resource: search
// (https://docs.github.com/rest/search/search#rate-limit); past it, 403
// with the rate-limit message and, here, Retry-After.
//
// A qualifier the sim does not model is a test failure (OnInvalid, or
// OnUnknown), answered 422 as GitHub answers a query it cannot parse: a
// count the sim made up would prove nothing.

// searchPerMinute is GitHub's search limit for an installation.
const searchPerMinute = 30

// searchCannot is GitHub's message when a query names a user or repository
// that does not exist or that the caller cannot see.
const searchCannot = "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them."

// searchState is the search API's per-installation windows and the knobs
// tests turn.
type searchState struct {
	windows    map[int64]*rateWindow
	incomplete bool
	limit      int
	// gone are the accounts deleted or renamed away (lower-case logins):
	// GET /users/{user} answers 404 and searches naming them 422, even if
	// an old issue still shows the login.
	gone map[string]bool
}

// SetSearchLimit sets the searches an installation may make per minute of
// the sim's clock (0: GitHub's 30).
func (s *Sim) SetSearchLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.search.limit = n
}

// SetSearchIncomplete makes search answers say incomplete_results: true (a
// search that timed out on GitHub's side).
func (s *Sim) SetSearchIncomplete(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.search.incomplete = on
}

// DeleteUser makes an account gone, as a deleted or renamed one: GET
// /users/{user} answers 404 and searches naming it 422. RestoreUser
// undoes it.
func (s *Sim) DeleteUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.search.gone == nil {
		s.search.gone = map[string]bool{}
	}
	s.search.gone[strings.ToLower(strings.TrimPrefix(login, "@"))] = true
}

// RestoreUser brings back an account DeleteUser made gone.
func (s *Sim) RestoreUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.search.gone, strings.ToLower(strings.TrimPrefix(login, "@")))
}

// userGone reports an account DeleteUser made gone. Runs with s.mu held.
func (s *Sim) userGone(login string) bool { return s.search.gone[strings.ToLower(login)] }

// searchQuery is a parsed q.
type searchQuery struct {
	isPR, merged                    bool
	author, notAuthor, reviewedBy   string
	repos, orgs                     []string
	updatedSince, mergedSince       time.Time
	hasUpdatedSince, hasMergedSince bool
}

// GET /search/issues
func (s *Sim) searchIssues(c *ctx) (int, any) {
	if status, out, limited := s.searchLimited(c); limited {
		return status, out
	}
	q, problem := parseSearch(c.r.URL.Query().Get("q"))
	if problem != "" {
		s.reportInvalid(c, problem)
		return validation("Search", "q", "invalid")
	}
	if !s.searchable(c, q) {
		return http.StatusUnprocessableEntity, obj{"message": "Validation Failed", "documentation_url": "https://docs.github.com/v3/search/",
			"errors": []any{obj{"message": searchCannot, "resource": "Search", "field": "q", "code": "invalid"}}, "status": "422"}
	}
	var found []*issue
	for _, r := range s.st.repos {
		for _, is := range r.issues {
			if is != nil && s.visibleTo(c, r) && q.matches(is) {
				found = append(found, is)
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].ID > found[j].ID })
	per, _ := strconv.Atoi(c.r.URL.Query().Get("per_page"))
	if per <= 0 || per > 100 {
		per = 30
	}
	items := []any{}
	for _, is := range found[:min(per, len(found))] {
		items = append(items, s.renderIssue(is))
	}
	return http.StatusOK, obj{"total_count": len(found), "incomplete_results": s.search.incomplete, "items": items}
}

// reportInvalid tells the test about a request the sim cannot answer truly.
func (s *Sim) reportInvalid(c *ctx, problem string) {
	switch {
	case s.opts.OnInvalid != nil:
		s.opts.OnInvalid(c.r.Method, c.r.URL.Path, problem)
	case s.opts.OnUnknown != nil:
		s.opts.OnUnknown(c.r.Method, c.r.URL.Path+" ("+problem+")")
	}
}

// searchLimited counts the search against the installation's window of the
// sim's clock and sets the search headers; past the limit it answers 403.
// Runs with s.mu held.
func (s *Sim) searchLimited(c *ctx) (int, any, bool) {
	limit := s.search.limit
	if limit <= 0 {
		limit = searchPerMinute
	}
	if s.search.windows == nil {
		s.search.windows = map[int64]*rateWindow{}
	}
	now := s.now()
	w := s.search.windows[c.inst]
	if w == nil || now.Sub(w.start) >= time.Minute {
		w = &rateWindow{start: now}
		s.search.windows[c.inst] = w
	}
	h := c.header
	reset := w.start.Add(time.Minute)
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "search")
	if w.used >= limit {
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Used", strconv.Itoa(w.used))
		secs := int((reset.Sub(now) + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.Itoa(max(secs, 1)))
		st, out := errResp(http.StatusForbidden, fmt.Sprintf("API rate limit exceeded for installation ID %d.", c.inst))
		return st, out, true
	}
	w.used++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-w.used))
	h.Set("X-RateLimit-Used", strconv.Itoa(w.used))
	return 0, nil, false
}

// parseSearch reads the qualifiers SPEC §10's queries use; anything else is
// a problem to report.
func parseSearch(q string) (searchQuery, string) {
	var sq searchQuery
	if strings.TrimSpace(q) == "" {
		return sq, "empty search query"
	}
	for _, t := range strings.Fields(q) {
		k, v, _ := strings.Cut(t, ":")
		var err error
		switch {
		case t == "is:pr":
			sq.isPR = true
		case t == "is:merged":
			sq.merged = true
		case k == "author" && v != "":
			sq.author = v
		case k == "-author" && v != "":
			sq.notAuthor = v
		case k == "reviewed-by" && v != "":
			sq.reviewedBy = v
		case k == "repo" && strings.Count(v, "/") == 1:
			sq.repos = append(sq.repos, v)
		case k == "org" && v != "":
			sq.orgs = append(sq.orgs, v)
		case k == "updated" && strings.HasPrefix(v, ">="):
			sq.updatedSince, err = time.Parse("2006-01-02", v[2:])
			sq.hasUpdatedSince = true
		case k == "merged" && strings.HasPrefix(v, ">="):
			sq.mergedSince, err = time.Parse("2006-01-02", v[2:])
			sq.hasMergedSince = true
		default:
			return sq, fmt.Sprintf("search term %q is not modelled by the simulated GitHub", t)
		}
		if err != nil {
			return sq, fmt.Sprintf("search term %q: not a YYYY-MM-DD date", t)
		}
	}
	return sq, ""
}

// searchable reports whether every user and repository the query names
// exists and is visible to the installation (GitHub answers 422 otherwise).
func (s *Sim) searchable(c *ctx, q searchQuery) bool {
	for _, u := range []string{q.author, q.notAuthor, q.reviewedBy} {
		if u != "" && (s.st.lookupUser(u) == nil || s.userGone(u)) {
			return false
		}
	}
	for _, name := range q.repos {
		if r := s.st.repo(name); r == nil || !s.visibleTo(c, r) {
			return false
		}
	}
	for _, o := range q.orgs {
		if s.st.lookupUser(o) == nil {
			return false
		}
	}
	return true
}

// visibleTo: public repositories, and the installation's own.
func (s *Sim) visibleTo(c *ctx, r *repo) bool { return !r.Private || r.Installation == c.inst }

func (q searchQuery) matches(is *issue) bool {
	in := func(list []string, v string) bool {
		for _, x := range list {
			if strings.EqualFold(x, v) {
				return true
			}
		}
		return false
	}
	switch {
	case q.isPR && !is.IsPR, q.merged && !is.Merged:
		return false
	case q.author != "" && !strings.EqualFold(is.user.login, q.author):
		return false
	case q.notAuthor != "" && strings.EqualFold(is.user.login, q.notAuthor):
		return false
	case q.reviewedBy != "" && !reviewedBy(is, q.reviewedBy):
		return false
	case (len(q.repos) > 0 || len(q.orgs) > 0) && !in(q.repos, is.repo.FullName) && !in(q.orgs, is.repo.Owner):
		return false
	case q.hasUpdatedSince && is.UpdatedAt.Before(q.updatedSince):
		return false
	case q.hasMergedSince && (!is.Merged || is.ClosedAt.Before(q.mergedSince)):
		return false
	}
	return true
}

func reviewedBy(is *issue, login string) bool {
	for _, rv := range is.reviews {
		if strings.EqualFold(rv.User, login) {
			return true
		}
	}
	return false
}
