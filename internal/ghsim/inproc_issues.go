package ghsim

import (
	"net/http"
	"strings"
)

// GetIssue is GET /repos/{o}/{r}/issues/{n} (getIssue): 410 for a deleted
// issue, 404 for one transferred or unknown.
func (a *App) GetIssue(repo string, number int) (out *Issue, err error) {
	err = a.call(http.MethodGet, repoPath(repo, "issues", number), func() (int, any) {
		if r := a.repoFor(repo); r != nil {
			if is := r.issue(number); is != nil && is.Gone == "deleted" {
				return errResp(http.StatusGone, "This issue was deleted")
			}
		}
		is := a.issueFor(repo, number)
		if is == nil {
			return notFound()
		}
		out = is.copy()
		return http.StatusOK, nil
	})
	return out, err
}

// NewIssue is what CreateIssue sends.
type NewIssue struct {
	Title, Body       string
	Labels, Assignees []string
}

// CreateIssue is POST /repos/{o}/{r}/issues (postIssue): labels that do
// not exist are created, unknown assignees refused, more than ten dropped.
func (a *App) CreateIssue(repo string, ni NewIssue) (out *Issue, err error) {
	err = a.call(http.MethodPost, repoPath(repo, "issues"), func() (int, any) {
		r := a.repoFor(repo)
		switch {
		case r == nil:
			return notFound()
		case ni.Title == "":
			return validation("Issue", "title", "missing_field")
		case tooLong(ni.Body):
			return validation("Issue", "body", "custom")
		}
		if st, body := a.s.checkAssignees(ni.Assignees); st != 0 {
			return st, body
		}
		assignees := ni.Assignees
		if len(assignees) > 10 {
			assignees = assignees[:10]
		}
		out = a.s.createIssue(a.s.st.bot, r, ni.Title, ni.Body, ni.Labels, assignees, false).copy()
		return http.StatusCreated, nil
	})
	return out, err
}

// IssueEdit is what EditIssue changes (nil: unchanged).
type IssueEdit struct {
	Title, Body, State, StateReason *string
}

// EditIssue is PATCH /repos/{o}/{r}/issues/{n} (patchIssue) for the title,
// the body and the state.
func (a *App) EditIssue(repo string, number int, e IssueEdit) error {
	return a.call(http.MethodPatch, repoPath(repo, "issues", number), func() (int, any) {
		is := a.issueFor(repo, number)
		switch {
		case is == nil:
			return notFound()
		case e.State != nil && *e.State != "open" && *e.State != "closed":
			return validation("Issue", "state", "invalid")
		case e.StateReason != nil && !containsFold([]string{"completed", "not_planned", "duplicate", "reopened"}, *e.StateReason):
			return validation("Issue", "state_reason", "invalid")
		case e.Body != nil && tooLong(*e.Body):
			return validation("Issue", "body", "custom")
		}
		a.s.editIssue(a.s.st.bot, is, e.Title, e.Body)
		switch {
		case e.State != nil:
			reason := ""
			if e.StateReason != nil {
				reason = *e.StateReason
			}
			a.s.setIssueState(a.s.st.bot, is, *e.State, reason)
		case e.StateReason != nil && is.State == "closed":
			is.StateReason = *e.StateReason
		}
		return http.StatusOK, nil
	})
}

// CreateLabel is POST /repos/{o}/{r}/labels (postLabel): 422
// already_exists for a label that is there.
func (a *App) CreateLabel(repo, name, color, description string) error {
	return a.call(http.MethodPost, repoPath(repo, "labels"), func() (int, any) {
		r := a.repoFor(repo)
		switch {
		case r == nil:
			return notFound()
		case strings.TrimSpace(name) == "":
			return validation("Label", "name", "missing_field")
		case r.label(name) != nil:
			return validation("Label", "name", "already_exists")
		}
		if st, body := labelNameTooLong(name); st != 0 {
			return st, body
		}
		l := &Label{ID: a.s.st.newID(), Name: name, Color: "ededed"}
		if color != "" {
			col := strings.TrimPrefix(color, "#")
			if !colorRE.MatchString(col) {
				return validation("Label", "color", "invalid")
			}
			l.Color = strings.ToLower(col)
		}
		if len(description) > 100 {
			return validation("Label", "description", "invalid")
		}
		l.Description = description
		r.labels = append(r.labels, l)
		return http.StatusCreated, nil
	})
}

// AddLabels is POST /repos/{o}/{r}/issues/{n}/labels (addIssueLabels):
// names that do not exist are created.
func (a *App) AddLabels(repo string, number int, names ...string) error {
	return a.call(http.MethodPost, repoPath(repo, "issues", number, "labels"), func() (int, any) {
		is := a.issueFor(repo, number)
		if is == nil {
			return notFound()
		}
		if st, body := a.s.newLabelsTooLong(is.repo, names); st != 0 {
			return st, body
		}
		for _, n := range names {
			a.s.addIssueLabel(a.s.st.bot, is, n)
		}
		return http.StatusOK, nil
	})
}

// RemoveLabel is DELETE /repos/{o}/{r}/issues/{n}/labels/{name}
// (removeIssueLabelREST): 404 when the issue does not carry it.
func (a *App) RemoveLabel(repo string, number int, name string) error {
	return a.call(http.MethodDelete, repoPath(repo, "issues", number, "labels", name), func() (int, any) {
		is := a.issueFor(repo, number)
		if is == nil {
			return notFound()
		}
		if _, ok := a.s.removeIssueLabel(a.s.st.bot, is, name); !ok {
			return errResp(http.StatusNotFound, "Label does not exist")
		}
		return http.StatusOK, nil
	})
}
