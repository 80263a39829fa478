package ghsim

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

type tokenInfo struct {
	inst    int64
	expires time.Time
}

// appPermissions are the permissions the simulated App was granted.
var appPermissions = obj{
	"issues": "write", "pull_requests": "write", "contents": "read",
	"metadata": "read", "members": "read",
}

var appEvents = []string{"issues", "issue_comment", "pull_request", "pull_request_review"}

// tokenFrom returns the credential of an "Authorization: token X" or "Bearer X" header.
func tokenFrom(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, p := range []string{"token ", "Token ", "bearer ", "Bearer "} {
		if strings.HasPrefix(h, p) {
			return strings.TrimSpace(h[len(p):])
		}
	}
	return ""
}

// authenticate checks the request's credential for the route. It returns a
// zero status when the request may proceed. Runs with s.mu held.
func (s *Sim) authenticate(c *ctx, kind authKind) (int, any) {
	raw := tokenFrom(c.r)
	if kind == authNone {
		return 0, nil
	}
	if kind == authJWT {
		if err := s.verifyJWT(raw); err != nil {
			return errResp(http.StatusUnauthorized, "A JSON web token could not be decoded")
		}
		return 0, nil
	}
	ti, ok := s.st.tokens[raw]
	if !ok || time.Now().After(ti.expires) {
		return errResp(http.StatusUnauthorized, "Bad credentials")
	}
	c.inst = ti.inst
	return 0, nil
}

// verifyJWT checks an App JWT: RS256, signed by the App's key, iss the App
// ID, not expired and valid for at most ten minutes (real clock).
func (s *Sim) verifyJWT(raw string) error {
	if raw == "" {
		return errors.New("no token")
	}
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodRS256 {
			return nil, errors.New("unexpected signing method")
		}
		return &s.key.PublicKey, nil
	})
	if err != nil || !tok.Valid {
		return errors.New("invalid JWT")
	}
	claims, _ := tok.Claims.(jwt.MapClaims)
	var iss string
	switch v := claims["iss"].(type) {
	case string:
		iss = v
	case float64:
		iss = strconv.FormatInt(int64(v), 10)
	}
	if iss != strconv.FormatInt(s.appID, 10) {
		return errors.New("wrong issuer")
	}
	exp, ok := claims["exp"].(float64)
	if !ok || time.Unix(int64(exp), 0).After(time.Now().Add(11*time.Minute)) {
		return errors.New("bad exp")
	}
	return nil
}

// POST /app/installations/{id}/access_tokens
func (s *Sim) createAccessToken(c *ctx) (int, any) {
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	inst := s.st.installs[id]
	if inst == nil {
		return notFound()
	}
	tok := "ghs_" + randomHex(18)
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	s.st.tokens[tok] = tokenInfo{inst: id, expires: exp}
	return http.StatusCreated, obj{
		"token": tok, "expires_at": exp.Format(time.RFC3339),
		"permissions": appPermissions, "repository_selection": "selected",
	}
}

func (s *Sim) renderApp() obj {
	return obj{
		"id": s.appID, "slug": s.opts.AppSlug, "node_id": nodeID("A", s.appID),
		"client_id": "Iv1.sim" + strconv.FormatInt(s.appID, 16),
		"owner":     s.renderUser(s.st.ensureUser("cohortbot-dev")),
		"name":      s.opts.AppSlug, "description": "Simulated " + s.opts.AppSlug,
		"external_url": s.url, "html_url": s.url + "/apps/" + s.opts.AppSlug,
		"created_at": ts(time.Unix(1700000000, 0)), "updated_at": ts(time.Unix(1700000000, 0)),
		"permissions": appPermissions, "events": appEvents,
		"installations_count": len(s.st.installs),
	}
}

func (s *Sim) renderInstallation(in *installation) obj {
	api := s.url + "/app/installations/" + strconv.FormatInt(in.id, 10)
	return obj{
		"id": in.id, "node_id": nodeID("MDIz", in.id), "account": s.renderUser(in.account),
		"repository_selection": "selected", "access_tokens_url": api + "/access_tokens",
		"repositories_url": s.url + "/installation/repositories",
		"html_url":         s.url + "/organizations/" + in.account.login + "/settings/installations/" + strconv.FormatInt(in.id, 10),
		"app_id":           s.appID, "app_slug": s.opts.AppSlug, "target_id": in.account.id,
		"target_type": "Organization", "permissions": appPermissions, "events": appEvents,
		"created_at": ts(in.created), "updated_at": ts(in.created), "single_file_name": nil,
		"suspended_at": nil, "suspended_by": nil,
	}
}

// GET /app
func (s *Sim) getApp(c *ctx) (int, any) { return http.StatusOK, s.renderApp() }

// GET /app/installations
func (s *Sim) listInstallations(c *ctx) (int, any) {
	ids := make([]int64, 0, len(s.st.installs))
	for id := range s.st.installs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := []any{}
	for _, id := range ids {
		out = append(out, s.renderInstallation(s.st.installs[id]))
	}
	return http.StatusOK, c.paginate(out)
}

// GET /app/installations/{id}
func (s *Sim) getInstallation(c *ctx) (int, any) {
	id, _ := strconv.ParseInt(c.param("id"), 10, 64)
	if in := s.st.installs[id]; in != nil {
		return http.StatusOK, s.renderInstallation(in)
	}
	return notFound()
}

// GET /repos/{owner}/{repo}/installation
func (s *Sim) getRepoInstallation(c *ctx) (int, any) {
	r := s.st.repo(c.param("owner") + "/" + c.param("repo"))
	if r == nil || s.st.installs[r.Installation] == nil {
		return notFound()
	}
	return http.StatusOK, s.renderInstallation(s.st.installs[r.Installation])
}

// GET /orgs/{owner}/installation and /users/{owner}/installation
func (s *Sim) getOwnerInstallation(c *ctx) (int, any) {
	for _, in := range s.st.installs {
		if strings.EqualFold(in.account.login, c.param("owner")) {
			return http.StatusOK, s.renderInstallation(in)
		}
	}
	return notFound()
}
