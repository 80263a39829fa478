package ghsim

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// repoOf is the repo named in the path, if the request's installation can see it.
func (s *Sim) repoOf(c *ctx) *repo {
	r := s.st.repo(c.param("owner") + "/" + c.param("repo"))
	if r == nil || r.Installation != c.inst {
		return nil
	}
	return r
}

// issueOf is the issue (or PR) {number} of the repo in the path.
func (s *Sim) issueOf(c *ctx) *issue {
	r := s.repoOf(c)
	if r == nil {
		return nil
	}
	if is := r.issue(c.intParam("number")); is != nil && is.Gone == "" {
		return is
	}
	return nil
}

type issueReq struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]any    `json:"labels"`
	Assignees   *[]string `json:"assignees"`
	Assignee    *string   `json:"assignee"`
}

// labelNames accepts labels as strings or {"name": …} objects.
func labelNames(in []any) []string {
	out := []string{}
	for _, v := range in {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if n, ok := x["name"].(string); ok {
				out = append(out, n)
			}
		}
	}
	return out
}

// checkAssignees answers 422 for logins the sim does not know.
func (s *Sim) checkAssignees(logins []string) (int, any) {
	for _, a := range logins {
		if s.st.lookupUser(a) == nil {
			st, body := validation("Issue", "assignees", "invalid")
			body.(obj)["errors"].([]any)[0].(obj)["value"] = a
			return st, body
		}
	}
	return 0, nil
}

// POST /repos/{owner}/{repo}/issues
//
// Labels: GitHub's "Create an issue" applies them only for a caller with
// push access ("Only users with push access can set labels for new issues.
// Labels are silently dropped otherwise",
// https://docs.github.com/en/rest/issues/issues#create-an-issue); the
// installation, with issues write, is such a caller, and a name that does
// not exist yet is created with the default colour, as GitHub does for
// labels named through the REST API (the add-labels endpoint likewise,
// addIssueLabels). The web form path drops missing labels instead: OpenIssue.
func (s *Sim) postIssue(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	var req issueReq
	if !c.decode(&req) {
		return badJSON()
	}
	if req.Title == nil || *req.Title == "" {
		return validation("Issue", "title", "missing_field")
	}
	if req.Body != nil && tooLong(*req.Body) {
		return validation("Issue", "body", "custom")
	}
	var labels, assignees []string
	if req.Labels != nil {
		labels = labelNames(*req.Labels)
	}
	if req.Assignees != nil {
		assignees = *req.Assignees
	}
	if req.Assignee != nil && *req.Assignee != "" {
		assignees = append([]string{*req.Assignee}, assignees...)
	}
	if st, body := s.checkAssignees(assignees); st != 0 {
		return st, body
	}
	if len(assignees) > 10 {
		assignees = assignees[:10]
	}
	body := ""
	if req.Body != nil {
		body = *req.Body
	}
	is := s.createIssue(s.st.bot, r, *req.Title, body, labels, assignees, false)
	return http.StatusCreated, s.renderIssue(is)
}

// GET /repos/{owner}/{repo}/issues/{number}
func (s *Sim) getIssue(c *ctx) (int, any) {
	if r := s.repoOf(c); r != nil {
		if is := r.issue(c.intParam("number")); is != nil && is.Gone == "deleted" {
			return errResp(http.StatusGone, "This issue was deleted")
		}
	}
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	return http.StatusOK, s.renderIssue(is)
}

// PATCH /repos/{owner}/{repo}/issues/{number}
func (s *Sim) patchIssue(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	var req issueReq
	if !c.decode(&req) {
		return badJSON()
	}
	if req.State != nil && *req.State != "open" && *req.State != "closed" {
		return validation("Issue", "state", "invalid")
	}
	if req.StateReason != nil && !containsFold([]string{"completed", "not_planned", "duplicate", "reopened"}, *req.StateReason) {
		return validation("Issue", "state_reason", "invalid")
	}
	if req.Body != nil && tooLong(*req.Body) {
		return validation("Issue", "body", "custom")
	}
	if req.Assignees != nil {
		if st, body := s.checkAssignees(*req.Assignees); st != 0 {
			return st, body
		}
	}
	if req.Labels != nil {
		if st, body := s.newLabelsTooLong(is.repo, labelNames(*req.Labels)); st != 0 {
			return st, body
		}
	}
	bot := s.st.bot
	s.editIssue(bot, is, req.Title, req.Body)
	if req.Labels != nil {
		s.setIssueLabels(bot, is, labelNames(*req.Labels))
	}
	if req.Assignees != nil {
		var gone []string
		for _, a := range is.Assignees {
			if !containsFold(*req.Assignees, a) {
				gone = append(gone, a)
			}
		}
		s.removeAssignees(bot, is, gone)
		s.addAssignees(bot, is, *req.Assignees)
	}
	if req.State != nil {
		reason := ""
		if req.StateReason != nil {
			reason = *req.StateReason
		}
		s.setIssueState(bot, is, *req.State, reason)
	} else if req.StateReason != nil && is.State == "closed" {
		is.StateReason = *req.StateReason
	}
	return http.StatusOK, s.renderIssue(is)
}

// GET /repos/{owner}/{repo}/issues — filters state, labels, creator,
// assignee, since; sort created|updated|comments; direction; pagination.
func (s *Sim) listIssues(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	q := c.r.URL.Query()
	var sel []*issue
	for _, is := range r.issues {
		if is.Gone == "" && issueMatches(is, q.Get("state"), q.Get("labels"), q.Get("creator"), q.Get("assignee"), q.Get("since")) {
			sel = append(sel, is)
		}
	}
	sortIssues(sel, q.Get("sort"), q.Get("direction"))
	out := make([]any, 0, len(sel))
	for _, is := range sel {
		out = append(out, s.renderIssue(is))
	}
	return http.StatusOK, c.paginate(out)
}

func issueMatches(is *issue, state, labels, creator, assignee, since string) bool {
	if state == "" {
		state = "open"
	}
	if state != "all" && is.State != state {
		return false
	}
	if labels != "" {
		for _, l := range strings.Split(labels, ",") {
			if l = strings.TrimSpace(l); l != "" && !is.hasLabel(l) {
				return false
			}
		}
	}
	if creator != "" && !strings.EqualFold(creator, is.User) {
		return false
	}
	switch assignee {
	case "":
	case "none":
		if len(is.Assignees) > 0 {
			return false
		}
	case "*":
		if len(is.Assignees) == 0 {
			return false
		}
	default:
		if !containsFold(is.Assignees, assignee) {
			return false
		}
	}
	if t, err := time.Parse(time.RFC3339, since); err == nil && is.UpdatedAt.Before(t) {
		return false
	}
	return true
}

func sortIssues(list []*issue, by, dir string) {
	key := func(is *issue) int64 {
		switch by {
		case "updated":
			return is.UpdatedAt.Unix()
		case "comments":
			return int64(len(is.comments))
		}
		return is.CreatedAt.Unix()
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := key(list[i]), key(list[j])
		if a == b {
			a, b = int64(list[i].Number), int64(list[j].Number)
		}
		if dir == "asc" {
			return a < b
		}
		return a > b
	})
}

// POST/DELETE /repos/{owner}/{repo}/issues/{number}/assignees
func (s *Sim) changeAssignees(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	var req struct {
		Assignees []string `json:"assignees"`
	}
	if !c.decode(&req) {
		return badJSON()
	}
	if c.r.Method == http.MethodDelete {
		s.removeAssignees(s.st.bot, is, req.Assignees)
		return http.StatusOK, s.renderIssue(is)
	}
	var known []string
	for _, a := range req.Assignees {
		if s.st.lookupUser(a) != nil { // GitHub silently ignores unassignable users here
			known = append(known, a)
		}
	}
	s.addAssignees(s.st.bot, is, known)
	return http.StatusCreated, s.renderIssue(is)
}
