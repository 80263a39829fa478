package ghsim

import (
	"net/http"
	"strconv"
	"strings"
)

// renderPR renders a pull request from the example payload's pull_request
// object (so the shape stays real) with the sim's values.
func (s *Sim) renderPR(is *issue) obj {
	r := is.repo
	m, _ := template("pull_request", "closed")["pull_request"].(map[string]any)
	if m == nil {
		m = obj{}
	}
	api := s.url + "/repos/" + r.FullName + "/pulls/" + itoa(is.Number)
	iss := s.renderIssue(is)
	for _, k := range []string{"id", "number", "title", "user", "body", "labels", "assignee", "assignees",
		"created_at", "updated_at", "closed_at", "author_association", "milestone", "locked", "active_lock_reason"} {
		m[k] = iss[k]
	}
	m["url"], m["node_id"], m["html_url"], m["issue_url"] = api, is.NodeID, is.HTMLURL, s.issueAPIURL(is)
	m["diff_url"], m["patch_url"] = is.HTMLURL+".diff", is.HTMLURL+".patch"
	m["commits_url"], m["review_comments_url"] = api+"/commits", api+"/comments"
	m["review_comment_url"] = s.url + "/repos/" + r.FullName + "/pulls/comments{/number}"
	m["comments_url"] = s.issueAPIURL(is) + "/comments"
	m["statuses_url"] = s.url + "/repos/" + r.FullName + "/statuses/" + fakeSHA("head", is.ID)
	m["state"], m["draft"], m["merged"], m["comments"] = is.State, false, is.Merged, len(is.comments)
	m["merged_at"], m["merge_commit_sha"], m["merged_by"] = nil, nil, nil
	if is.Merged {
		m["merged_at"], m["merge_commit_sha"] = ts(is.ClosedAt), fakeSHA("merge", is.ID)
		m["merged_by"] = s.renderUser(r.owner)
	}
	m["requested_reviewers"], m["requested_teams"] = s.renderUsers(is.reviewers), []any{}
	repoJSON := s.renderRepo(r)
	m["head"] = obj{"label": r.Owner + ":pr-" + itoa(is.Number), "ref": "pr-" + itoa(is.Number),
		"sha": fakeSHA("head", is.ID), "user": s.renderUser(is.user), "repo": repoJSON}
	m["base"] = obj{"label": r.Owner + ":" + r.DefaultBranch, "ref": r.DefaultBranch,
		"sha": fakeSHA("base", r.ID), "user": s.renderUser(r.owner), "repo": repoJSON}
	m["_links"] = obj{
		"self": obj{"href": api}, "html": obj{"href": is.HTMLURL}, "issue": obj{"href": s.issueAPIURL(is)},
		"comments": obj{"href": s.issueAPIURL(is) + "/comments"}, "review_comments": obj{"href": api + "/comments"},
		"commits": obj{"href": api + "/commits"}, "statuses": obj{"href": m["statuses_url"]},
	}
	return m
}

// renderReview renders a review; webhook payloads use lower-case states.
func (s *Sim) renderReview(is *issue, rv *Review, webhook bool) obj {
	api := s.url + "/repos/" + is.repo.FullName + "/pulls/" + itoa(is.Number)
	html := is.HTMLURL + "#pullrequestreview-" + strconv.FormatInt(rv.ID, 10)
	state := rv.State
	if webhook {
		state = strings.ToLower(state)
	}
	u := s.st.ensureUser(rv.User)
	return obj{
		"id": rv.ID, "node_id": nodeID("PRR", rv.ID), "user": s.renderUser(u),
		"body": nilIfEmpty(rv.Body), "commit_id": fakeSHA("head", is.ID), "submitted_at": ts(rv.SubmittedAt),
		"state": state, "html_url": html, "pull_request_url": api,
		"author_association": is.repo.authorAssociation(u),
		"_links":             obj{"html": obj{"href": html}, "pull_request": obj{"href": api}},
	}
}

// prOf is the pull request {number} in the path.
func (s *Sim) prOf(c *ctx) *issue {
	is := s.issueOf(c)
	if is == nil || !is.IsPR {
		return nil
	}
	return is
}

// GET /repos/{owner}/{repo}/pulls/{number}
func (s *Sim) getPR(c *ctx) (int, any) {
	is := s.prOf(c)
	if is == nil {
		return notFound()
	}
	return http.StatusOK, s.renderPR(is)
}

// GET /repos/{owner}/{repo}/pulls (state filter, pagination)
func (s *Sim) listPRs(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	state := c.r.URL.Query().Get("state")
	out := []any{}
	for i := len(r.issues) - 1; i >= 0; i-- {
		is := r.issues[i]
		if is.IsPR && issueMatches(is, state, "", "", "", "") {
			out = append(out, s.renderPR(is))
		}
	}
	return http.StatusOK, c.paginate(out)
}

// POST and DELETE /repos/{owner}/{repo}/pulls/{number}/requested_reviewers
func (s *Sim) requestReviewers(c *ctx) (int, any) {
	is := s.prOf(c)
	if is == nil {
		return notFound()
	}
	var req struct {
		Reviewers []string `json:"reviewers"`
	}
	if !c.decode(&req) {
		return badJSON()
	}
	if c.r.Method == http.MethodDelete {
		var keep []string
		for _, r := range is.reviewers {
			if !containsFold(req.Reviewers, r) {
				keep = append(keep, r)
			}
		}
		is.reviewers = keep
		return http.StatusOK, s.renderPR(is)
	}
	for _, login := range req.Reviewers {
		if strings.EqualFold(login, is.User) {
			return errResp(http.StatusUnprocessableEntity, "Review cannot be requested from pull request author.")
		}
		if s.st.lookupUser(login) == nil || is.repo.permission(login) == "none" {
			return errResp(http.StatusUnprocessableEntity, "Reviews may only be requested from collaborators. "+
				"One or more of the users or teams you specified is not a collaborator of the "+is.repo.FullName+" repository.")
		}
	}
	for _, login := range req.Reviewers {
		if !containsFold(is.reviewers, login) {
			u := s.st.lookupUser(login)
			is.reviewers = append(is.reviewers, u.login)
			s.issueEvent(s.st.bot, is, "review_requested", obj{"requested_reviewer": s.renderUser(u)})
		}
	}
	return http.StatusCreated, s.renderPR(is)
}

// GET /repos/{owner}/{repo}/pulls/{number}/reviews
func (s *Sim) listReviews(c *ctx) (int, any) {
	is := s.prOf(c)
	if is == nil {
		return notFound()
	}
	out := []any{}
	for _, rv := range is.reviews {
		out = append(out, s.renderReview(is, rv, false))
	}
	return http.StatusOK, c.paginate(out)
}

// POST /repos/{owner}/{repo}/issues/{number}/sub_issues {"sub_issue_id": id}
func (s *Sim) postSubIssue(c *ctx) (int, any) {
	if s.st.subIssuesOff {
		return notFound()
	}
	parent := s.issueOf(c)
	if parent == nil {
		return notFound()
	}
	var req struct {
		SubIssueID    int64 `json:"sub_issue_id"`
		ReplaceParent bool  `json:"replace_parent"`
	}
	if !c.decode(&req) {
		return badJSON()
	}
	child := s.st.issuesByID[req.SubIssueID]
	if child == nil || child.repo.Installation != c.inst {
		return validation("Issue", "sub_issue_id", "invalid")
	}
	switch {
	case child == parent || child.IsPR || parent.IsPR:
		return validation("Issue", "sub_issue_id", "invalid")
	case child.parent == parent:
		return errResp(http.StatusUnprocessableEntity, "An error occurred while adding the sub-issue to the parent issue. Issue may not contain duplicate sub-issues")
	case child.parent != nil && !req.ReplaceParent:
		return errResp(http.StatusUnprocessableEntity, "An error occurred while adding the sub-issue to the parent issue. Issue may not contain duplicate sub-issues and Sub issue may only have one parent")
	}
	if st, body := tooManySubIssues(parent); st != 0 {
		return st, body
	}
	if old := child.parent; old != nil {
		for i, x := range old.subIssues {
			if x == child {
				old.subIssues = append(old.subIssues[:i:i], old.subIssues[i+1:]...)
				break
			}
		}
	}
	child.parent = parent
	parent.subIssues = append(parent.subIssues, child)
	return http.StatusCreated, s.renderIssue(child)
}

// GET /repos/{owner}/{repo}/issues/{number}/sub_issues
func (s *Sim) listSubIssues(c *ctx) (int, any) {
	parent := s.issueOf(c)
	if parent == nil {
		return notFound()
	}
	out := []any{}
	for _, ch := range parent.subIssues {
		out = append(out, s.renderIssue(ch))
	}
	return http.StatusOK, c.paginate(out)
}
