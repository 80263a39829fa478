package ghsim

// LockIssue locks an issue's conversation as actor (GitHub sends
// issues.locked; the sim records the state only, no handler of ours takes
// the event).
func (s *Sim) LockIssue(actor, repo string, number int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.ensureUser(actor)
	s.mustIssue(repo, number).Locked = true
}
