package ghsim

// Issues that leave a repository. GitHub answers a deleted issue's routes
// with 410 or 404 and a transferred one's with a redirect to its new home;
// the simulator answers 404 for both (issueOf), which is what an App that
// does not follow the redirect sees, and leaves them out of listings.

// DeleteIssue deletes an issue as actor (a repository admin, on the web)
// and sends issues.deleted.
func (s *Sim) DeleteIssue(actor, repo string, number int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.mustIssue(repo, number)
	is.Gone = "deleted"
	return s.issueEvent(s.st.ensureUser(actor), is, "deleted", nil)
}

// TransferIssue transfers an issue to another repository as actor and
// sends issues.transferred, whose changes name the new repository.
func (s *Sim) TransferIssue(actor, repo string, number int, to string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.mustIssue(repo, number)
	is.Gone = "transferred"
	return s.issueEvent(s.st.ensureUser(actor), is, "transferred",
		obj{"changes": obj{"new_repository": obj{"full_name": to}, "new_issue": obj{"number": number}}})
}

// VanishIssue makes an issue gone without any webhook, as when GitHub's
// delivery of issues.deleted was lost.
func (s *Sim) VanishIssue(repo string, number int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustIssue(repo, number).Gone = "deleted"
}
