package ghsim

import (
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// maxBody is GitHub's limit on comment and issue bodies: "body is too long
// (maximum is 65536 characters)", answered 422.
const maxBody = 65536

// tooLong reports whether body is over GitHub's limit, counted in
// characters as GitHub counts them.
func tooLong(body string) bool {
	return len(body) > maxBody && utf8.RuneCountInString(body) > maxBody
}

// commentOf is the comment {id} of the repo in the path.
func (s *Sim) commentOf(c *ctx) *comment {
	r := s.repoOf(c)
	if r == nil {
		return nil
	}
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	cm := s.st.comments[id]
	if cm == nil || cm.issue.repo != r {
		return nil
	}
	return cm
}

// GET /repos/{owner}/{repo}/issues/{number}/comments (since, pagination)
func (s *Sim) listComments(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	since, _ := time.Parse(time.RFC3339, c.r.URL.Query().Get("since"))
	out := []any{}
	for _, cm := range is.comments {
		if !since.IsZero() && cm.UpdatedAt.Before(since) {
			continue
		}
		out = append(out, s.renderComment(cm))
	}
	return http.StatusOK, c.paginate(out)
}

type commentReq struct {
	Body *string `json:"body"`
}

// POST /repos/{owner}/{repo}/issues/{number}/comments
func (s *Sim) postComment(c *ctx) (int, any) {
	is := s.issueOf(c)
	if is == nil {
		return notFound()
	}
	var req commentReq
	if !c.decode(&req) {
		return badJSON()
	}
	if req.Body == nil || *req.Body == "" {
		return validation("IssueComment", "body", "missing_field")
	}
	if tooLong(*req.Body) {
		return validation("IssueComment", "body", "custom")
	}
	cm := s.addComment(s.st.bot, is, *req.Body, time.Time{})
	return http.StatusCreated, s.renderComment(cm)
}

// GET /repos/{owner}/{repo}/issues/comments/{id}
func (s *Sim) getComment(c *ctx) (int, any) {
	cm := s.commentOf(c)
	if cm == nil {
		return notFound()
	}
	return http.StatusOK, s.renderComment(cm)
}

// PATCH /repos/{owner}/{repo}/issues/comments/{id}
func (s *Sim) patchComment(c *ctx) (int, any) {
	cm := s.commentOf(c)
	if cm == nil {
		return notFound()
	}
	var req commentReq
	if !c.decode(&req) {
		return badJSON()
	}
	if req.Body == nil || *req.Body == "" {
		return validation("IssueComment", "body", "missing_field")
	}
	if tooLong(*req.Body) {
		return validation("IssueComment", "body", "custom")
	}
	s.editComment(s.st.bot, cm, *req.Body)
	return http.StatusOK, s.renderComment(cm)
}

// DELETE /repos/{owner}/{repo}/issues/comments/{id}
func (s *Sim) delComment(c *ctx) (int, any) {
	cm := s.commentOf(c)
	if cm == nil {
		return notFound()
	}
	s.deleteComment(s.st.bot, cm)
	return http.StatusNoContent, nil
}
