package ghsim

import (
	"strings"
	"time"
)

// User actions: each changes state as GitHub would and queues the webhook
// GitHub would send. They panic on an unknown repo, issue or comment (a test
// bug). Actors are created on first use.

// OpenIssue opens an issue as actor on the web, e.g. from an issue form
// whose `labels:` are labels; GitHub sends issues.opened with the labels
// already on the issue (no separate labeled events).
//
// Only labels that exist in the repository are applied; the others are
// dropped without a word, as GitHub does for a form's labels ("If a label
// does not already exist in the repository, it will not be automatically
// added to the issue", https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms#top-level-syntax)
// and as the web's label picker, which offers existing labels only, implies.
// So the first request of a fresh mentoring repository arrives unlabelled.
// The installation's REST path (POST /repos/{o}/{r}/issues) differs: see
// postIssue.
func (s *Sim) OpenIssue(actor, repo, title, body string, labels ...string) *Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(repo)
	var existing []string
	for _, l := range labels {
		if r.label(l) != nil {
			existing = append(existing, l)
		}
	}
	is := s.createIssue(s.st.ensureUser(actor), r, title, body, existing, nil, false)
	return is.copy()
}

// OpenPR opens a pull request (sharing the issue number space); sends pull_request.opened.
func (s *Sim) OpenPR(actor, repo, title, body string) *Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.createIssue(s.st.ensureUser(actor), s.mustRepo(repo), title, body, nil, nil, true)
	return is.copy()
}

// EditIssueBody changes the body; sends issues.edited with changes.body.from.
// It returns the delivery id ("" if nothing changed).
func (s *Sim) EditIssueBody(actor, repo string, number int, body string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.editIssue(s.st.ensureUser(actor), s.mustIssue(repo, number), nil, &body)
}

// EditIssueTitle changes the title; sends issues.edited with changes.title.from.
func (s *Sim) EditIssueTitle(actor, repo string, number int, title string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.editIssue(s.st.ensureUser(actor), s.mustIssue(repo, number), &title, nil)
}

// CloseIssue closes an issue with reason "completed" (default) or
// "not_planned"; sends issues.closed.
func (s *Sim) CloseIssue(actor, repo string, number int, reason string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setIssueState(s.st.ensureUser(actor), s.mustIssue(repo, number), "closed", reason)
}

// ReopenIssue reopens an issue; sends issues.reopened.
func (s *Sim) ReopenIssue(actor, repo string, number int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setIssueState(s.st.ensureUser(actor), s.mustIssue(repo, number), "open", "")
}

// AddLabel labels an issue or PR (creating the label if needed); sends
// issues.labeled or pull_request.labeled ("" if it already had the label).
func (s *Sim) AddLabel(actor, repo string, number int, label string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addIssueLabel(s.st.ensureUser(actor), s.mustIssue(repo, number), label)
}

// RemoveLabel removes a label; sends issues.unlabeled or pull_request.unlabeled.
func (s *Sim) RemoveLabel(actor, repo string, number int, label string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := s.removeIssueLabel(s.st.ensureUser(actor), s.mustIssue(repo, number), label)
	return id
}

// Comment comments on an issue or PR now; sends issue_comment.created.
func (s *Sim) Comment(actor, repo string, number int, body string) *Comment {
	return s.CommentAt(actor, repo, number, body, time.Time{})
}

// CommentAt comments with the given created_at (zero means now).
func (s *Sim) CommentAt(actor, repo string, number int, body string, createdAt time.Time) *Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.addComment(s.st.ensureUser(actor), s.mustIssue(repo, number), body, createdAt)
	return c.copy()
}

func (s *Sim) mustComment(repo string, id int64) *comment {
	c := s.st.comments[id]
	if c == nil || !strings.EqualFold(c.Repo, repo) {
		panic("ghsim: unknown comment in " + repo)
	}
	return c
}

// EditComment edits a comment; sends issue_comment.edited with changes.body.from.
func (s *Sim) EditComment(actor, repo string, commentID int64, body string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.editComment(s.st.ensureUser(actor), s.mustComment(repo, commentID), body)
}

// DeleteComment deletes a comment; sends issue_comment.deleted.
func (s *Sim) DeleteComment(actor, repo string, commentID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteComment(s.st.ensureUser(actor), s.mustComment(repo, commentID))
}

// React adds actor's reaction to a comment (GitHub sends no webhook for reactions).
func (s *Sim) React(actor, repo string, commentID int64, content string) Reaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustComment(repo, commentID)
	r, _ := s.addReaction(&c.reactions, s.st.ensureUser(actor), content)
	return *r
}

// SubmitReview submits a review on a PR; state is APPROVED,
// CHANGES_REQUESTED or COMMENTED (any case). Sends pull_request_review.submitted.
// The reviewer leaves the requested reviewers, as on GitHub.
func (s *Sim) SubmitReview(actor, repo string, number int, state string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.mustIssue(repo, number)
	u := s.st.ensureUser(actor)
	rv := &Review{ID: s.st.newID(), User: u.login, State: strings.ToUpper(state), SubmittedAt: s.now()}
	is.reviews = append(is.reviews, rv)
	for i, r := range is.reviewers {
		if strings.EqualFold(r, u.login) {
			is.reviewers = append(is.reviewers[:i:i], is.reviewers[i+1:]...)
			break
		}
	}
	is.UpdatedAt = s.now()
	return s.emit(u, is.repo, "pull_request_review", "submitted", obj{
		"review": s.renderReview(is, rv, true), "pull_request": s.renderPR(is),
	})
}

// ClosePR closes a PR, merged or not; sends pull_request.closed.
func (s *Sim) ClosePR(actor, repo string, number int, merged bool) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.mustIssue(repo, number)
	is.Merged = merged && is.State == "open"
	return s.setIssueState(s.st.ensureUser(actor), is, "closed", "")
}
