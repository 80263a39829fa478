package ghsim

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
)

// GET /repos/{owner}/{repo}
func (s *Sim) getRepo(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	m := s.renderRepo(r)
	m["permissions"] = obj{"admin": false, "maintain": false, "push": false, "triage": false, "pull": true}
	return http.StatusOK, m
}

// blobSHA is git's object id of a blob with that content.
func blobSHA(content string) string {
	h := sha1.Sum([]byte(fmt.Sprintf("blob %d\x00%s", len(content), content)))
	return hex.EncodeToString(h[:])
}

// base64Lines encodes as GitHub's contents API does: base64 wrapped at 60 columns.
func base64Lines(content string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(content))
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	b.WriteString(enc + "\n")
	return b.String()
}

func (s *Sim) contentEntry(r *repo, p, typ string, size int, sha string) obj {
	api := s.url + "/repos/" + r.FullName + "/contents/" + p + "?ref=" + r.DefaultBranch
	html := s.url + "/" + r.FullName + "/blob/" + r.DefaultBranch + "/" + p
	git := s.url + "/repos/" + r.FullName + "/git/blobs/" + sha
	var dl any = s.url + "/raw/" + r.FullName + "/" + r.DefaultBranch + "/" + p
	if typ == "dir" {
		html = s.url + "/" + r.FullName + "/tree/" + r.DefaultBranch + "/" + p
		git = s.url + "/repos/" + r.FullName + "/git/trees/" + sha
		dl = nil
	}
	return obj{
		"type": typ, "size": size, "name": path.Base(p), "path": p, "sha": sha,
		"url": api, "git_url": git, "html_url": html, "download_url": dl,
		"_links": obj{"self": api, "git": git, "html": html},
	}
}

// GET /repos/{owner}/{repo}/contents/{path...} (ref is accepted and ignored:
// the sim has one branch)
func (s *Sim) getContents(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	p := strings.Trim(c.param("path"), "/")
	if content, ok := r.files[p]; ok {
		m := s.contentEntry(r, p, "file", len(content), blobSHA(content))
		m["content"], m["encoding"] = base64Lines(content), "base64"
		return http.StatusOK, m
	}
	// A directory: list its direct children.
	prefix := p + "/"
	if p == "" {
		prefix = ""
	}
	seen := map[string]bool{}
	out := []any{}
	for _, f := range sortedKeys(r.files) {
		if !strings.HasPrefix(f, prefix) {
			continue
		}
		rest := strings.TrimPrefix(f, prefix)
		name, _, isDir := strings.Cut(rest, "/")
		if seen[name] {
			continue
		}
		seen[name] = true
		if isDir {
			out = append(out, s.contentEntry(r, prefix+name, "dir", 0, fakeSHA("tree", r.ID, prefix+name)))
		} else {
			out = append(out, s.contentEntry(r, f, "file", len(r.files[f]), blobSHA(r.files[f])))
		}
	}
	if len(out) == 0 {
		return notFound()
	}
	return http.StatusOK, out
}

// legacyPermission maps a role to the `permission` field GitHub returns
// (maintain reads as write, triage as read); role_name keeps the role.
func legacyPermission(role string) string {
	switch role {
	case "maintain":
		return "write"
	case "triage":
		return "read"
	}
	return role
}

// GET /repos/{owner}/{repo}/collaborators/{user}/permission
func (s *Sim) getPermission(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	login := c.param("user")
	u := s.st.lookupUser(login)
	if u == nil {
		u = &user{id: 0, login: login}
	}
	role := r.permission(login)
	// The user is GitHub's nullable-collaborator, which carries the role
	// too (the client reads it there).
	collab := s.renderUser(u)
	collab["role_name"] = role
	return http.StatusOK, obj{
		"permission": legacyPermission(role), "role_name": role, "user": collab,
	}
}

// GET /orgs/{org}/teams/{team}/memberships/{user}
func (s *Sim) getTeamMembership(c *ctx) (int, any) {
	members := s.st.teams[strings.ToLower(c.param("org")+"/"+c.param("team"))]
	login := c.param("user")
	if !members[strings.ToLower(login)] {
		return notFound()
	}
	return http.StatusOK, obj{
		"url":   s.url + "/orgs/" + c.param("org") + "/teams/" + c.param("team") + "/memberships/" + login,
		"role":  "member",
		"state": "active",
	}
}

// GET /orgs/{org}/teams/{team}/members
func (s *Sim) listTeamMembers(c *ctx) (int, any) {
	members := s.st.teams[strings.ToLower(c.param("org")+"/"+c.param("team"))]
	if members == nil {
		return notFound()
	}
	logins := sortedKeys(members)
	sort.Strings(logins)
	out := []any{}
	for _, l := range logins {
		out = append(out, s.renderUser(s.st.lookupUser(l)))
	}
	return http.StatusOK, c.paginate(out)
}

// GET /users/{user}
func (s *Sim) getUser(c *ctx) (int, any) {
	u := s.st.lookupUser(c.param("user"))
	if u == nil || s.userGone(u.login) {
		return notFound()
	}
	return http.StatusOK, s.renderUser(u)
}
