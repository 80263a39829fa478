package ghsim

import (
	"strings"
	"time"
)

// Request is one API request the sim received.
type Request struct {
	Method       string
	Path         string // unescaped URL path
	Query        string // raw query
	Body         []byte
	Status       int
	Installation int64 // installation of the token; 0 for JWT or no credential
	Time         time.Time
	// Problems lists how the request departs from GitHub's REST
	// description (validate.go); empty for a request GitHub would serve as is.
	Problems []string
}

// Issue returns a copy of issue or PR n of repo, or nil.
func (s *Sim) Issue(repo string, n int) *Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.repo(repo)
	if r == nil || r.issue(n) == nil {
		return nil
	}
	return r.issue(n).copy()
}

// Issues returns copies of all issues and PRs of repo, by number.
func (s *Sim) Issues(repo string) []*Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Issue
	if r := s.st.repo(repo); r != nil {
		for _, is := range r.issues {
			out = append(out, is.copy())
		}
	}
	return out
}

// Comments returns copies of the (undeleted) comments of issue n, oldest first.
func (s *Sim) Comments(repo string, n int) []*Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Comment
	if r := s.st.repo(repo); r != nil && r.issue(n) != nil {
		for _, c := range r.issue(n).comments {
			out = append(out, c.copy())
		}
	}
	return out
}

// CommentByID returns a copy of a comment, or nil if unknown or deleted.
func (s *Sim) CommentByID(id int64) *Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.st.comments[id]; c != nil {
		return c.copy()
	}
	return nil
}

// Labels returns the repo's labels in creation order.
func (s *Sim) Labels(repo string) []Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Label
	if r := s.st.repo(repo); r != nil {
		for _, l := range r.labels {
			out = append(out, *l)
		}
	}
	return out
}

// SubIssues returns the numbers of issue n's sub-issues, in order added.
func (s *Sim) SubIssues(repo string, n int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	if r := s.st.repo(repo); r != nil && r.issue(n) != nil {
		for _, c := range r.issue(n).subIssues {
			out = append(out, c.Number)
		}
	}
	return out
}

// RequestedReviewers returns the logins requested to review PR n.
func (s *Sim) RequestedReviewers(repo string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.repo(repo); r != nil && r.issue(n) != nil {
		return append([]string(nil), r.issue(n).reviewers...)
	}
	return nil
}

// Reviews returns the reviews submitted on PR n.
func (s *Sim) Reviews(repo string, n int) []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Review
	if r := s.st.repo(repo); r != nil && r.issue(n) != nil {
		for _, rv := range r.issue(n).reviews {
			out = append(out, *rv)
		}
	}
	return out
}

// Requests returns a copy of every request recorded since the last ResetRequests.
func (s *Sim) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

// CountRequests counts recorded requests with the method ("" for any) whose
// path matches: a pattern with {wildcards} (e.g.
// "/repos/{o}/{r}/issues/{n}/comments", "{rest...}" for the remainder) must
// match the whole path, anything else is a path prefix.
func (s *Sim) CountRequests(method, pathPrefixOrPattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	pat := strings.Split(strings.Trim(pathPrefixOrPattern, "/"), "/")
	isPattern := strings.Contains(pathPrefixOrPattern, "{")
	n := 0
	for _, r := range s.requests {
		if method != "" && !strings.EqualFold(method, r.Method) {
			continue
		}
		if isPattern {
			if _, ok := matchSegs(pat, strings.Split(strings.Trim(r.Path, "/"), "/")); !ok {
				continue
			}
		} else if !strings.HasPrefix(r.Path, pathPrefixOrPattern) {
			continue
		}
		n++
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Sim) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}
