package ghsim

import "time"

// InstallationToken mints an installation access token for id, as
// POST /app/installations/{id}/access_tokens does, without the App JWT:
// for in-process clients (internal/ghsim/inproc) that call ServeHTTP
// directly. It returns "" for an unknown installation.
func (s *Sim) InstallationToken(id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.installs[id] == nil {
		return ""
	}
	tok := "ghs_" + randomHex(18)
	s.st.tokens[tok] = tokenInfo{inst: id, expires: time.Now().Add(time.Hour).UTC().Truncate(time.Second)}
	return tok
}
