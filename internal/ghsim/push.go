package ghsim

// PushCommits pushes commits to a pull request's branch as actor; sends
// pull_request.synchronize (with before and after, the head's old and new
// SHAs) and moves the PR's updated_at to now, as GitHub does.
func (s *Sim) PushCommits(actor, repo string, number int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.mustIssue(repo, number)
	if !is.IsPR {
		panic("ghsim: PushCommits on an issue")
	}
	is.UpdatedAt = s.now()
	return s.issueEvent(s.st.ensureUser(actor), is, "synchronize", obj{"before": randomHex(20), "after": randomHex(20)})
}
