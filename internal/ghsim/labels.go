package ghsim

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

var colorRE = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

type labelReq struct {
	Name        *string `json:"name"`
	NewName     *string `json:"new_name"`
	Color       *string `json:"color"`
	Description *string `json:"description"`
}

// CreateLabel creates a label in repo as a maintainer would in the web's
// label settings (GitHub's label webhook is not simulated: cohortbot does
// not subscribe to it). It is a no-op when the label exists.
func (s *Sim) CreateLabel(repo, name, color string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.ensureLabel(s.mustRepo(repo), name); color != "" {
		l.Color = strings.ToLower(strings.TrimPrefix(color, "#"))
	}
}

// GET /repos/{owner}/{repo}/labels
func (s *Sim) listLabels(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	out := []any{}
	for _, l := range r.labels {
		out = append(out, s.renderLabel(r, l))
	}
	return http.StatusOK, c.paginate(out)
}

// GET /repos/{owner}/{repo}/labels/{name}
func (s *Sim) getLabel(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	l := r.label(c.param("name"))
	if l == nil {
		return notFound()
	}
	return http.StatusOK, s.renderLabel(r, l)
}

// POST /repos/{owner}/{repo}/labels
func (s *Sim) postLabel(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	var req labelReq
	if !c.decode(&req) {
		return badJSON()
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return validation("Label", "name", "missing_field")
	}
	if r.label(*req.Name) != nil {
		return validation("Label", "name", "already_exists")
	}
	if st, body := labelNameTooLong(*req.Name); st != 0 {
		return st, body
	}
	l := &Label{ID: s.st.newID(), Name: *req.Name, Color: "ededed"}
	if req.Color != nil {
		col := strings.TrimPrefix(*req.Color, "#")
		if !colorRE.MatchString(col) {
			return validation("Label", "color", "invalid")
		}
		l.Color = strings.ToLower(col)
	}
	if req.Description != nil {
		if len(*req.Description) > 100 {
			return validation("Label", "description", "invalid")
		}
		l.Description = *req.Description
	}
	r.labels = append(r.labels, l)
	return http.StatusCreated, s.renderLabel(r, l)
}

// PATCH /repos/{owner}/{repo}/labels/{name}
func (s *Sim) patchLabel(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	l := r.label(c.param("name"))
	if l == nil {
		return notFound()
	}
	var req labelReq
	if !c.decode(&req) {
		return badJSON()
	}
	if req.Color != nil {
		col := strings.TrimPrefix(*req.Color, "#")
		if !colorRE.MatchString(col) {
			return validation("Label", "color", "invalid")
		}
		l.Color = strings.ToLower(col)
	}
	if req.Description != nil {
		l.Description = *req.Description
	}
	if req.NewName != nil && *req.NewName != l.Name {
		if o := r.label(*req.NewName); o != nil && o != l {
			return validation("Label", "name", "already_exists")
		}
		if st, body := labelNameTooLong(*req.NewName); st != 0 {
			return st, body
		}
		for _, is := range r.issues {
			for i, n := range is.Labels {
				if strings.EqualFold(n, l.Name) {
					is.Labels[i] = *req.NewName
				}
			}
		}
		l.Name = *req.NewName
	}
	return http.StatusOK, s.renderLabel(r, l)
}

// DELETE /repos/{owner}/{repo}/labels/{name}
func (s *Sim) deleteLabel(c *ctx) (int, any) {
	r := s.repoOf(c)
	if r == nil {
		return notFound()
	}
	l := r.label(c.param("name"))
	if l == nil {
		return notFound()
	}
	for _, is := range r.issues {
		for i, n := range is.Labels {
			if strings.EqualFold(n, l.Name) {
				is.Labels = append(is.Labels[:i:i], is.Labels[i+1:]...)
				break
			}
		}
	}
	for i, x := range r.labels {
		if x == l {
			r.labels = append(r.labels[:i:i], r.labels[i+1:]...)
			break
		}
	}
	return http.StatusNoContent, nil
}

// parseLabelBody accepts {"labels":[…]} or a bare array, of strings or {"name":…}.
func parseLabelBody(body []byte) ([]string, bool) {
	var arr []any
	if err := json.Unmarshal(body, &arr); err == nil {
		return labelNames(arr), true
	}
	var wrapped struct {
		Labels []any `json:"labels"`
	}
	if err := json.Unmarshal(body, &wrapped); err != nil {
		return nil, false
	}
	return labelNames(wrapped.Labels), true
}

// GET /repos/{owner}/{repo}/issues/{number}/labels
func (s *Sim) listIssueLabels(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	return http.StatusOK, c.paginate(s.renderIssueLabels(is))
}

// POST (add) and PUT (replace) /repos/{owner}/{repo}/issues/{number}/labels
func (s *Sim) addIssueLabels(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	names, ok := parseLabelBody(c.body)
	if !ok {
		return badJSON()
	}
	if st, body := s.newLabelsTooLong(is.repo, names); st != 0 {
		return st, body
	}
	if c.r.Method == http.MethodPut {
		s.setIssueLabels(s.st.bot, is, names)
	} else {
		for _, n := range names {
			s.addIssueLabel(s.st.bot, is, n)
		}
	}
	return http.StatusOK, s.renderIssueLabels(is)
}

// DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name}
func (s *Sim) removeIssueLabelREST(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	if _, ok := s.removeIssueLabel(s.st.bot, is, c.param("name")); !ok {
		return errResp(http.StatusNotFound, "Label does not exist")
	}
	return http.StatusOK, s.renderIssueLabels(is)
}

// DELETE /repos/{owner}/{repo}/issues/{number}/labels
func (s *Sim) clearIssueLabels(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	s.setIssueLabels(s.st.bot, is, nil)
	return http.StatusNoContent, nil
}
