package ghsim

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// App is one installation's REST access to the sim in process, for flow
// tests (internal/ghsim/inproc): each method does what its route's handler
// does — the same checks, the same refusals, the same state changes and
// webhooks — without HTTP or JSON. It is recorded in Requests like a REST
// request (without a body). What it skips: the REST description's check of
// the request's shape (go-github's concern, not the flow's), the rate
// limits and the intercept hook (faults): tests of those go over HTTP.
type App struct {
	s    *Sim
	inst int64
}

// App returns installation inst's in-process access.
func (s *Sim) App(inst int64) *App { return &App{s: s, inst: inst} }

// APIError is a refusal, as GitHub answers it: the status, the message and
// a 422's field errors. Method and Path are the REST route's.
type APIError struct {
	Method, Path string
	Status       int
	Message      string
	Errors       []FieldError
}

// FieldError is one error of a 422 Validation Failed.
type FieldError struct {
	Resource, Field, Code, Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: %d %s %v", e.Method, e.Path, e.Status, e.Message, e.Errors)
}

// call runs fn with the sim's lock held, records it as REST request method
// path, and turns an answer of 400 or more into an *APIError.
func (a *App) call(method, path string, fn func() (int, any)) error {
	s := a.s
	s.mu.Lock()
	status, out := fn()
	if status == 0 {
		status = http.StatusOK
	}
	s.requests = append(s.requests, Request{Method: method, Path: path, Status: status, Installation: a.inst, Time: time.Now()})
	s.mu.Unlock()
	if status < 400 {
		return nil
	}
	return apiError(method, path, status, out)
}

func apiError(method, path string, status int, out any) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	o, _ := out.(obj)
	e.Message, _ = o["message"].(string)
	errs, _ := o["errors"].([]any)
	for _, x := range errs {
		f, _ := x.(obj)
		fe := FieldError{}
		fe.Resource, _ = f["resource"].(string)
		fe.Field, _ = f["field"].(string)
		fe.Code, _ = f["code"].(string)
		fe.Message, _ = f["message"].(string)
		e.Errors = append(e.Errors, fe)
	}
	return e
}

func repoPath(repo string, rest ...any) string {
	var b strings.Builder
	b.WriteString("/repos/" + repo)
	for _, r := range rest {
		fmt.Fprintf(&b, "/%v", r)
	}
	return b.String()
}

// repoFor is the repository if the installation can see it (repoOf).
func (a *App) repoFor(name string) *repo {
	r := a.s.st.repo(name)
	if r == nil || r.Installation != a.inst {
		return nil
	}
	return r
}

// issueFor is issue n of the repository (issueOf).
func (a *App) issueFor(name string, n int) *issue {
	r := a.repoFor(name)
	if r == nil {
		return nil
	}
	if is := r.issue(n); is != nil && is.Gone == "" {
		return is
	}
	return nil
}

// commentFor is comment id of the repository (commentOf).
func (a *App) commentFor(name string, id int64) *comment {
	r := a.repoFor(name)
	cm := a.s.st.comments[id]
	if r == nil || cm == nil || cm.issue.repo != r {
		return nil
	}
	return cm
}

// Permission is GET /repos/{o}/{r}/collaborators/{user}/permission: the
// legacy permission and the role name.
func (a *App) Permission(repo, login string) (perm, role string, err error) {
	err = a.call(http.MethodGet, repoPath(repo, "collaborators", login, "permission"), func() (int, any) {
		r := a.repoFor(repo)
		if r == nil {
			return notFound()
		}
		role = r.permission(login)
		perm = legacyPermission(role)
		return http.StatusOK, nil
	})
	return perm, role, err
}

// CreateComment is POST /repos/{o}/{r}/issues/{n}/comments (postComment).
func (a *App) CreateComment(repo string, number int, body string) (id int64, err error) {
	err = a.call(http.MethodPost, repoPath(repo, "issues", number, "comments"), func() (int, any) {
		is := a.issueFor(repo, number)
		switch {
		case is == nil:
			return notFound()
		case body == "":
			return validation("IssueComment", "body", "missing_field")
		case tooLong(body):
			return validation("IssueComment", "body", "custom")
		}
		id = a.s.addComment(a.s.st.bot, is, body, time.Time{}).ID
		return http.StatusCreated, nil
	})
	return id, err
}

// EditComment is PATCH /repos/{o}/{r}/issues/comments/{id} (patchComment).
func (a *App) EditComment(repo string, id int64, body string) error {
	return a.call(http.MethodPatch, repoPath(repo, "issues", "comments", id), func() (int, any) {
		cm := a.commentFor(repo, id)
		switch {
		case cm == nil:
			return notFound()
		case body == "":
			return validation("IssueComment", "body", "missing_field")
		case tooLong(body):
			return validation("IssueComment", "body", "custom")
		}
		a.s.editComment(a.s.st.bot, cm, body)
		return http.StatusOK, nil
	})
}

// Comments is GET /repos/{o}/{r}/issues/{n}/comments, every page.
func (a *App) Comments(repo string, number int) (out []*Comment, err error) {
	err = a.call(http.MethodGet, repoPath(repo, "issues", number, "comments"), func() (int, any) {
		is := a.issueFor(repo, number)
		if is == nil {
			return notFound()
		}
		for _, cm := range is.comments {
			out = append(out, cm.copy())
		}
		return http.StatusOK, nil
	})
	return out, err
}

// React is POST /repos/{o}/{r}/issues/comments/{id}/reactions as the bot
// (postReaction): an identical reaction already there is returned.
func (a *App) React(repo string, commentID int64, content string) (id int64, err error) {
	err = a.call(http.MethodPost, repoPath(repo, "issues", "comments", commentID, "reactions"), func() (int, any) {
		cm := a.commentFor(repo, commentID)
		switch {
		case cm == nil:
			return notFound()
		case !containsFold(reactionContents, content):
			return validation("Reaction", "content", "invalid")
		}
		r, _ := a.s.addReaction(&cm.reactions, a.s.st.bot, content)
		id = r.ID
		return http.StatusCreated, nil
	})
	return id, err
}

// Unreact is DELETE /repos/{o}/{r}/issues/comments/{id}/reactions/{rid}
// (deleteReaction).
func (a *App) Unreact(repo string, commentID, reactionID int64) error {
	return a.call(http.MethodDelete, repoPath(repo, "issues", "comments", commentID, "reactions", reactionID), func() (int, any) {
		cm := a.commentFor(repo, commentID)
		if cm == nil {
			return notFound()
		}
		for i, r := range cm.reactions {
			if r.ID == reactionID {
				cm.reactions = append(cm.reactions[:i:i], cm.reactions[i+1:]...)
				return http.StatusNoContent, nil
			}
		}
		return notFound()
	})
}
