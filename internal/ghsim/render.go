package ghsim

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// obj is a JSON object under construction.
type obj = map[string]any

func itoa(n int) string { return strconv.Itoa(n) }

func nodeID(prefix string, id int64) string {
	return prefix + "_" + strings.TrimRight(base64.URLEncoding.EncodeToString([]byte(fmt.Sprintf("sim:%d", id))), "=")
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func fakeSHA(parts ...any) string {
	h := sha1.Sum([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(h[:])
}

func (s *Sim) renderUser(u *user) obj {
	if u == nil {
		return nil
	}
	typ := "User"
	switch {
	case u.bot:
		typ = "Bot"
	case u.org:
		typ = "Organization"
	}
	api := s.url + "/users/" + u.login
	return obj{
		"login": u.login, "id": u.id, "node_id": nodeID("U", u.id),
		"avatar_url":          fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", u.id),
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            s.url + "/" + u.login,
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                typ,
		"site_admin":          false,
	}
}

func (s *Sim) renderRepo(r *repo) obj {
	api := s.url + "/repos/" + r.FullName
	vis := "public"
	if r.Private {
		vis = "private"
	}
	return obj{
		"id": r.ID, "node_id": nodeID("R", r.ID), "name": r.Name, "full_name": r.FullName,
		"private": r.Private, "owner": s.renderUser(r.owner), "html_url": s.url + "/" + r.FullName,
		"description": nil, "fork": false, "url": api,
		"issues_url":     api + "/issues{/number}",
		"labels_url":     api + "/labels{/name}",
		"pulls_url":      api + "/pulls{/number}",
		"contents_url":   api + "/contents/{+path}",
		"default_branch": r.DefaultBranch, "visibility": vis,
		"has_issues": true, "archived": false, "disabled": false,
		"open_issues_count": r.openIssues(),
	}
}

func (r *repo) openIssues() int {
	n := 0
	for _, is := range r.issues {
		if is.State == "open" {
			n++
		}
	}
	return n
}

func (s *Sim) renderLabel(r *repo, l *Label) obj {
	var desc any
	if l.Description != "" {
		desc = l.Description
	}
	return obj{
		"id": l.ID, "node_id": nodeID("LA", l.ID), "url": s.url + "/repos/" + r.FullName + "/labels/" + l.Name,
		"name": l.Name, "color": l.Color, "description": desc, "default": l.Default,
	}
}

func (s *Sim) renderIssueLabels(is *issue) []any {
	out := []any{}
	for _, name := range is.Labels {
		if l := is.repo.label(name); l != nil {
			out = append(out, s.renderLabel(is.repo, l))
		}
	}
	return out
}

func (s *Sim) renderUsers(logins []string) []any {
	out := []any{}
	for _, l := range logins {
		out = append(out, s.renderUser(s.st.ensureUser(l)))
	}
	return out
}

// authorAssociation approximates GitHub's author_association.
func (r *repo) authorAssociation(u *user) string {
	switch {
	case u.bot:
		return "NONE"
	case strings.EqualFold(u.login, r.Owner):
		return "OWNER"
	}
	switch r.permission(u.login) {
	case "admin", "maintain", "write", "triage":
		if r.owner.org {
			return "MEMBER"
		}
		return "COLLABORATOR"
	}
	return "NONE"
}

func (s *Sim) reactionSummary(apiURL string, rs []*Reaction) obj {
	m := obj{"url": apiURL + "/reactions", "total_count": len(rs)}
	for _, c := range reactionContents {
		m[c] = 0
	}
	for _, r := range rs {
		m[r.Content] = m[r.Content].(int) + 1
	}
	return m
}

func (s *Sim) issueAPIURL(is *issue) string {
	return s.url + "/repos/" + is.repo.FullName + "/issues/" + itoa(is.Number)
}

func (s *Sim) renderIssue(is *issue) obj {
	api := s.issueAPIURL(is)
	var assignee any
	if len(is.Assignees) > 0 {
		assignee = s.renderUser(s.st.ensureUser(is.Assignees[0]))
	}
	var reason any
	if is.StateReason != "" {
		reason = is.StateReason
	}
	m := obj{
		"url": api, "repository_url": s.url + "/repos/" + is.repo.FullName,
		"labels_url": api + "/labels{/name}", "comments_url": api + "/comments",
		"events_url": api + "/events", "timeline_url": api + "/timeline",
		"html_url": is.HTMLURL, "id": is.ID, "node_id": is.NodeID, "number": is.Number,
		"title": is.Title, "user": s.renderUser(is.user), "labels": s.renderIssueLabels(is),
		"state": is.State, "state_reason": reason, "locked": is.Locked,
		"assignee": assignee, "assignees": s.renderUsers(is.Assignees), "milestone": nil,
		"comments": len(is.comments), "created_at": ts(is.CreatedAt), "updated_at": ts(is.UpdatedAt),
		"closed_at": ts(is.ClosedAt), "author_association": is.repo.authorAssociation(is.user),
		"active_lock_reason": nil, "body": nilIfEmpty(is.Body),
		"reactions":                s.reactionSummary(api, is.reactions),
		"performed_via_github_app": nil,
		"sub_issues_summary":       s.subIssuesSummary(is),
	}
	if is.IsPR {
		pr := obj{
			"url":      s.url + "/repos/" + is.repo.FullName + "/pulls/" + itoa(is.Number),
			"html_url": s.url + "/" + is.repo.FullName + "/pull/" + itoa(is.Number),
			"diff_url": s.url + "/" + is.repo.FullName + "/pull/" + itoa(is.Number) + ".diff",
		}
		pr["patch_url"] = s.url + "/" + is.repo.FullName + "/pull/" + itoa(is.Number) + ".patch"
		pr["merged_at"] = nil
		if is.Merged {
			pr["merged_at"] = ts(is.ClosedAt)
		}
		m["pull_request"] = pr
		m["draft"] = false
	}
	return m
}

func (s *Sim) subIssuesSummary(is *issue) obj {
	done := 0
	for _, c := range is.subIssues {
		if c.State == "closed" {
			done++
		}
	}
	pct := 0
	if len(is.subIssues) > 0 {
		pct = done * 100 / len(is.subIssues)
	}
	return obj{"total": len(is.subIssues), "completed": done, "percent_completed": pct}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Sim) renderComment(c *comment) obj {
	r := c.issue.repo
	api := s.url + "/repos/" + r.FullName + "/issues/comments/" + strconv.FormatInt(c.ID, 10)
	return obj{
		"url": api, "html_url": c.HTMLURL, "issue_url": s.issueAPIURL(c.issue),
		"id": c.ID, "node_id": c.NodeID, "user": s.renderUser(c.user),
		"created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"author_association": r.authorAssociation(c.user), "body": c.Body,
		"reactions":                s.reactionSummary(api, c.reactions),
		"performed_via_github_app": nil,
	}
}

func (s *Sim) renderReaction(r *Reaction) obj {
	return obj{
		"id": r.ID, "node_id": nodeID("REA", r.ID), "user": s.renderUser(s.st.ensureUser(r.User)),
		"content": r.Content, "created_at": ts(r.CreatedAt),
	}
}

// copyIssue is the deep copy handed out by the inspection API.
func (is *issue) copy() *Issue {
	cp := is.Issue
	cp.Labels = append([]string{}, is.Labels...)
	cp.Assignees = append([]string{}, is.Assignees...)
	cp.Comments = len(is.comments)
	cp.Reactions = copyReactions(is.reactions)
	cp.Parent = 0
	if is.parent != nil {
		cp.Parent = is.parent.Number
	}
	return &cp
}

func (c *comment) copy() *Comment {
	cp := c.Comment
	cp.Reactions = copyReactions(c.reactions)
	return &cp
}

func copyReactions(rs []*Reaction) []Reaction {
	out := []Reaction{}
	for _, r := range rs {
		out = append(out, *r)
	}
	return out
}
