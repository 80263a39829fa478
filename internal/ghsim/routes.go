package ghsim

import "strings"

// buildRoutes lists the REST endpoints the sim implements; the first match wins.
// These first ones take the App JWT.
func (s *Sim) buildRoutes() []route {
	var rs []route
	add := func(method, pattern string, auth authKind, h handlerFunc) {
		rs = append(rs, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), auth: auth, h: h})
	}
	jwt := func(method, pattern string, h handlerFunc) { add(method, pattern, authJWT, h) }

	jwt("POST", "/app/installations/{id}/access_tokens", s.createAccessToken)
	jwt("GET", "/app", s.getApp)
	jwt("GET", "/app/installations", s.listInstallations)
	jwt("GET", "/app/installations/{id}", s.getInstallation)
	jwt("GET", "/repos/{owner}/{repo}/installation", s.getRepoInstallation)
	jwt("GET", "/orgs/{owner}/installation", s.getOwnerInstallation)
	jwt("GET", "/users/{owner}/installation", s.getOwnerInstallation)

	rs = append(rs, s.manifestRoutes()...)
	rs = append(rs, s.oauthRoutes()...)
	return append(rs, s.repoRoutes()...)
}

// repoRoutes are the endpoints authenticated with an installation token.
func (s *Sim) repoRoutes() []route {
	var rs []route
	tok := func(method, pattern string, h handlerFunc) {
		rs = append(rs, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), auth: authToken, h: h})
	}
	const repo = "/repos/{owner}/{repo}"
	tok("GET", repo, s.getRepo)
	tok("GET", repo+"/contents/{path...}", s.getContents)
	tok("GET", repo+"/collaborators/{user}/permission", s.getPermission)
	tok("GET", "/orgs/{org}/teams/{team}/memberships/{user}", s.getTeamMembership)
	tok("GET", "/orgs/{org}/teams/{team}/members", s.listTeamMembers)
	tok("GET", "/users/{user}", s.getUser)
	tok("GET", "/search/issues", s.searchIssues)

	const cm = repo + "/issues/comments/{id}"
	tok("GET", cm, s.getComment)
	tok("PATCH", cm, s.patchComment)
	tok("DELETE", cm, s.delComment)
	tok("GET", cm+"/reactions", s.listReactions)
	tok("POST", cm+"/reactions", s.postReaction)
	tok("DELETE", cm+"/reactions/{reaction_id}", s.deleteReaction)

	const is = repo + "/issues/{number}"
	tok("GET", repo+"/issues", s.listIssues)
	tok("POST", repo+"/issues", s.postIssue)
	tok("GET", is, s.getIssue)
	tok("PATCH", is, s.patchIssue)
	tok("GET", is+"/comments", s.listComments)
	tok("POST", is+"/comments", s.postComment)
	tok("GET", is+"/labels", s.listIssueLabels)
	tok("POST", is+"/labels", s.addIssueLabels)
	tok("PUT", is+"/labels", s.addIssueLabels)
	tok("DELETE", is+"/labels", s.clearIssueLabels)
	tok("DELETE", is+"/labels/{name...}", s.removeIssueLabelREST)
	tok("POST", is+"/assignees", s.changeAssignees)
	tok("DELETE", is+"/assignees", s.changeAssignees)
	tok("GET", is+"/reactions", s.listReactions)
	tok("POST", is+"/reactions", s.postReaction)
	tok("DELETE", is+"/reactions/{reaction_id}", s.deleteReaction)
	tok("GET", is+"/sub_issues", s.listSubIssues)
	tok("POST", is+"/sub_issues", s.postSubIssue)

	tok("GET", repo+"/labels", s.listLabels)
	tok("POST", repo+"/labels", s.postLabel)
	tok("GET", repo+"/labels/{name...}", s.getLabel)
	tok("PATCH", repo+"/labels/{name...}", s.patchLabel)
	tok("DELETE", repo+"/labels/{name...}", s.deleteLabel)

	const pr = repo + "/pulls/{number}"
	tok("GET", repo+"/pulls", s.listPRs)
	tok("GET", pr, s.getPR)
	tok("POST", pr+"/requested_reviewers", s.requestReviewers)
	tok("DELETE", pr+"/requested_reviewers", s.requestReviewers)
	tok("GET", pr+"/reviews", s.listReviews)
	return rs
}
