package ghsim

import (
	"strconv"
	"strings"
	"time"
)

// The functions in this file change state as GitHub would and queue the
// webhooks GitHub would send. They run with s.mu held and are shared by the
// REST handlers (actor = the bot) and the user actions.

// issueEvent queues issues.<action> or, for a pull request, pull_request.<action>.
func (s *Sim) issueEvent(actor *user, is *issue, action string, extra obj) string {
	fields := obj{}
	for k, v := range extra {
		fields[k] = v
	}
	if is.IsPR {
		fields["number"] = is.Number
		fields["pull_request"] = s.renderPR(is)
		return s.emit(actor, is.repo, "pull_request", action, fields)
	}
	fields["issue"] = s.renderIssue(is)
	return s.emit(actor, is.repo, "issues", action, fields)
}

// ensureLabel returns the repo's label, creating it (color ededed) as GitHub
// does for labels named on an issue that do not exist yet.
func (s *Sim) ensureLabel(r *repo, name string) *Label {
	if l := r.label(name); l != nil {
		return l
	}
	l := &Label{ID: s.st.newID(), Name: name, Color: "ededed"}
	r.labels = append(r.labels, l)
	return l
}

func (s *Sim) createIssue(actor *user, r *repo, title, body string, labels, assignees []string, isPR bool) *issue {
	now := s.now()
	n := len(r.issues) + 1
	kind := "/issues/"
	if isPR {
		kind = "/pull/"
	}
	is := &issue{
		Issue: Issue{
			ID: s.st.newID(), Repo: r.FullName, Number: n, Title: title, Body: body,
			State: "open", User: actor.login, IsPR: isPR, CreatedAt: now, UpdatedAt: now,
			HTMLURL: s.url + "/" + r.FullName + kind + itoa(n),
			Labels:  []string{}, Assignees: []string{},
		},
		repo: r, user: actor,
	}
	is.NodeID = nodeID("I", is.ID)
	if isPR {
		is.NodeID = nodeID("PR", is.ID)
	}
	for _, name := range labels {
		if !is.hasLabel(name) {
			is.Labels = append(is.Labels, s.ensureLabel(r, name).Name)
		}
	}
	for _, a := range assignees {
		is.Assignees = append(is.Assignees, s.st.ensureUser(a).login)
	}
	r.issues = append(r.issues, is)
	s.st.issuesByID[is.ID] = is
	s.issueEvent(actor, is, "opened", nil)
	return is
}

// editIssue changes title and/or body (nil = unchanged) and queues issues.edited.
func (s *Sim) editIssue(actor *user, is *issue, title, body *string) string {
	changes := obj{}
	if title != nil && *title != is.Title {
		changes["title"] = obj{"from": is.Title}
		is.Title = *title
	}
	if body != nil && *body != is.Body {
		changes["body"] = obj{"from": is.Body}
		is.Body = *body
	}
	if len(changes) == 0 {
		return ""
	}
	is.UpdatedAt = s.now()
	return s.issueEvent(actor, is, "edited", obj{"changes": changes})
}

// setIssueState closes (reason completed/not_planned) or reopens an issue.
func (s *Sim) setIssueState(actor *user, is *issue, state, reason string) string {
	if state == is.State {
		if state == "closed" && reason != "" {
			is.StateReason = reason
		}
		return ""
	}
	now := s.now()
	is.State, is.UpdatedAt = state, now
	action := "reopened"
	if state == "closed" {
		action = "closed"
		is.ClosedAt = now
		if reason == "" {
			reason = "completed"
		}
		is.StateReason = reason
	} else {
		is.ClosedAt = time.Time{}
		is.StateReason = "reopened"
	}
	if is.IsPR && state == "closed" {
		is.StateReason = ""
	}
	return s.issueEvent(actor, is, action, nil)
}

// addIssueLabel puts a label on the issue (creating the label if needed) and
// queues the labeled event; it is a no-op when the label is already there.
func (s *Sim) addIssueLabel(actor *user, is *issue, name string) string {
	if is.hasLabel(name) {
		return ""
	}
	l := s.ensureLabel(is.repo, name)
	is.Labels = append(is.Labels, l.Name)
	is.UpdatedAt = s.now()
	return s.issueEvent(actor, is, "labeled", obj{"label": s.renderLabel(is.repo, l)})
}

// removeIssueLabel takes a label off the issue; false if it was not there.
func (s *Sim) removeIssueLabel(actor *user, is *issue, name string) (string, bool) {
	for i, l := range is.Labels {
		if strings.EqualFold(l, name) {
			is.Labels = append(is.Labels[:i:i], is.Labels[i+1:]...)
			is.UpdatedAt = s.now()
			id := s.issueEvent(actor, is, "unlabeled", obj{"label": s.eventLabel(is.repo, l)})
			return id, true
		}
	}
	return "", false
}

// setIssueLabels replaces the issue's labels.
func (s *Sim) setIssueLabels(actor *user, is *issue, names []string) {
	for _, l := range append([]string{}, is.Labels...) {
		if !containsFold(names, l) {
			s.removeIssueLabel(actor, is, l)
		}
	}
	for _, n := range names {
		s.addIssueLabel(actor, is, n)
	}
}

// addAssignees adds users (already validated) to the issue's assignees, up
// to GitHub's ten (limits.go): the others are silently not assigned.
func (s *Sim) addAssignees(actor *user, is *issue, logins []string) {
	for _, a := range logins {
		if containsFold(is.Assignees, a) || len(is.Assignees) >= maxAssignees {
			continue
		}
		u := s.st.ensureUser(a)
		is.Assignees = append(is.Assignees, u.login)
		is.UpdatedAt = s.now()
		s.issueEvent(actor, is, "assigned", obj{"assignee": s.renderUser(u)})
	}
}

// removeAssignees removes users from the issue's assignees.
func (s *Sim) removeAssignees(actor *user, is *issue, logins []string) {
	for _, a := range logins {
		for i, cur := range is.Assignees {
			if strings.EqualFold(cur, a) {
				is.Assignees = append(is.Assignees[:i:i], is.Assignees[i+1:]...)
				is.UpdatedAt = s.now()
				s.issueEvent(actor, is, "unassigned", obj{"assignee": s.renderUser(s.st.ensureUser(cur))})
				break
			}
		}
	}
}

func (s *Sim) addComment(actor *user, is *issue, body string, at time.Time) *comment {
	if at.IsZero() {
		at = s.now()
	}
	at = at.UTC().Truncate(time.Second)
	id := s.st.newID()
	kind := "/issues/"
	if is.IsPR {
		kind = "/pull/"
	}
	c := &comment{
		Comment: Comment{
			ID: id, NodeID: nodeID("IC", id), Repo: is.repo.FullName, Issue: is.Number,
			Body: body, User: actor.login, CreatedAt: at, UpdatedAt: at,
			HTMLURL: s.url + "/" + is.repo.FullName + kind + itoa(is.Number) + "#issuecomment-" + strconv.FormatInt(id, 10),
		},
		issue: is, user: actor,
	}
	is.comments = append(is.comments, c)
	s.st.comments[id] = c
	is.UpdatedAt = s.now()
	s.commentEvent(actor, c, "created", nil)
	return c
}

func (s *Sim) commentEvent(actor *user, c *comment, action string, changes obj) string {
	fields := obj{"issue": s.renderIssue(c.issue), "comment": s.renderComment(c)}
	if changes != nil {
		fields["changes"] = changes
	}
	return s.emit(actor, c.issue.repo, "issue_comment", action, fields)
}

func (s *Sim) editComment(actor *user, c *comment, body string) string {
	if body == c.Body {
		return ""
	}
	from := c.Body
	c.Body, c.UpdatedAt = body, s.now()
	return s.commentEvent(actor, c, "edited", obj{"body": obj{"from": from}})
}

func (s *Sim) deleteComment(actor *user, c *comment) string {
	is := c.issue
	for i, x := range is.comments {
		if x == c {
			is.comments = append(is.comments[:i:i], is.comments[i+1:]...)
			break
		}
	}
	delete(s.st.comments, c.ID)
	return s.commentEvent(actor, c, "deleted", nil)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
