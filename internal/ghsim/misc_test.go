package ghsim

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// signJWT signs an App JWT with s's key and the given iss.
func signJWT(t *testing.T, s *Sim, iss int64) string {
	t.Helper()
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		IssuedAt: jwt.NewNumericDate(now.Add(-30 * time.Second)), ExpiresAt: jwt.NewNumericDate(now.Add(2 * time.Minute)),
		Issuer: strconv.FormatInt(iss, 10),
	})
	signed, err := tok.SignedString(s.key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func TestPermissionsTeamsContents(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	s.SetPermission(testRepo, "alice", "maintain")
	s.SetPermission(testRepo, "bob", "write")
	s.AddTeamMember(owner, "mentoring-organizers", "carol")
	s.PutFile(testRepo, ".github/cohortbot.yml", "organizers: [carol]\n")
	perms := []struct {
		name, user, perm, role string
	}{
		{name: "maintain reads as write", user: "alice", perm: "write", role: "maintain"},
		{name: "write", user: "bob", perm: "write", role: "write"},
		{name: "unknown", user: "zed", perm: "none", role: "none"},
	}
	for _, tt := range perms {
		t.Run(tt.name, func(t *testing.T) {
			p := must[*github.RepositoryPermissionLevel](t)(c.Repositories.GetPermissionLevel(ctxBG, owner, repoName, tt.user))
			var raw struct {
				RoleName string `json:"role_name"`
			}
			req, _ := c.NewRequest("GET", "repos/kubernetes/mentoring/collaborators/"+tt.user+"/permission", nil)
			if _, err := c.Do(ctxBG, req, &raw); err != nil {
				t.Fatal(err)
			}
			got := []string{p.GetPermission(), raw.RoleName, p.GetUser().GetLogin()}
			if diff := cmp.Diff([]string{tt.perm, tt.role, tt.user}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	m := must[*github.Membership](t)(c.Teams.GetTeamMembershipBySlug(ctxBG, owner, "mentoring-organizers", "carol"))
	if m.GetState() != "active" || m.GetRole() != "member" {
		t.Errorf("membership = %+v", m)
	}
	if _, _, err := c.Teams.GetTeamMembershipBySlug(ctxBG, owner, "mentoring-organizers", "bob"); statusOf(err) != 404 {
		t.Errorf("non-member: %v", err)
	}
	file, _, _, err := c.Repositories.GetContents(ctxBG, owner, repoName, ".github/cohortbot.yml",
		&github.RepositoryContentGetOptions{Ref: "main"})
	if err != nil {
		t.Fatal(err)
	}
	content, _ := file.GetContent()
	if content != "organizers: [carol]\n" || file.GetSHA() != blobSHA(content) || file.GetType() != "file" {
		t.Errorf("file = %+v", file)
	}
	_, dir, _, err := c.Repositories.GetContents(ctxBG, owner, repoName, ".github", nil)
	if err != nil || len(dir) != 1 || dir[0].GetName() != "cohortbot.yml" {
		t.Errorf("dir = %v, %v", dir, err)
	}
	if _, _, _, err := c.Repositories.GetContents(ctxBG, owner, repoName, "missing.yml", nil); statusOf(err) != 404 {
		t.Errorf("missing file: %v", err)
	}
}

func TestETagAndRateLimit(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	s.OpenIssue("alice", testRepo, "t", "")
	must[*github.Issue](t)(c.Issues.Get(ctxBG, owner, repoName, 1))
	tok := ""
	for k, v := range s.st.tokens {
		if v.inst == testInst {
			tok = k
		}
	}
	get := func(etag string) *http.Response {
		req, _ := http.NewRequest("GET", s.URL()+"/repos/kubernetes/mentoring/issues/1", nil)
		req.Header.Set("Authorization", "token "+tok)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	first := get("")
	etag := first.Header.Get("ETag")
	second := get(etag)
	if first.StatusCode != 200 || etag == "" || second.StatusCode != 304 {
		t.Fatalf("statuses %d %d, etag %q", first.StatusCode, second.StatusCode, etag)
	}
	if a, b := first.Header.Get("X-RateLimit-Remaining"), second.Header.Get("X-RateLimit-Remaining"); a != b || a != "4998" {
		t.Errorf("remaining %s then %s, want 4998 both (304 is free)", a, b)
	}
	for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Reset", "X-RateLimit-Used", "X-GitHub-Request-Id"} {
		if first.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	s.EditIssueBody("alice", testRepo, 1, "changed")
	if third := get(etag); third.StatusCode != 200 {
		t.Errorf("after a change: %d, want 200", third.StatusCode)
	}
}

func TestUnknownRouteAndIntercept(t *testing.T) {
	var unknown []string
	s := newTestSim(t, Options{OnUnknown: func(m, p string) { unknown = append(unknown, m+" "+p) }})
	c := botClient(t, s)
	if _, _, err := c.Repositories.ListHooks(ctxBG, owner, repoName, nil); statusOf(err) != 404 {
		t.Errorf("unknown route: %v", err)
	}
	if diff := cmp.Diff([]string{"GET /repos/kubernetes/mentoring/hooks"}, unknown); diff != "" {
		t.Errorf("OnUnknown (-want +got):\n%s", diff)
	}
	s.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != "POST" {
			return false
		}
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusBadGateway)
		return true
	})
	_, _, err := c.Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{Title: github.String("x")})
	if statusOf(err) != 502 {
		t.Errorf("intercepted: %v", err)
	}
	if n := s.CountRequests("POST", "/repos/{o}/{r}/issues"); n != 1 {
		t.Errorf("recorded intercepted POSTs = %d", n)
	}
	if n := s.CountRequests("", "/repos/kubernetes/mentoring/hooks"); n != 1 {
		t.Errorf("recorded unknown = %d", n)
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Errorf("ResetRequests")
	}
}

func TestPullsAndSubIssues(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	s.SetPermission(testRepo, "bob", "read")
	pr := s.OpenPR("alice", testRepo, "Fix docs", "body")
	reviewers := []struct {
		name string
		who  string
		want int
	}{
		{name: "no permission", who: "carol", want: 422},
		{name: "author", who: "alice", want: 422},
		{name: "reader", who: "bob", want: 0},
	}
	for _, tt := range reviewers {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := c.PullRequests.RequestReviewers(ctxBG, owner, repoName, pr.Number,
				github.ReviewersRequest{Reviewers: []string{tt.who}})
			if statusOf(err) != tt.want {
				t.Errorf("err = %v, want status %d", err, tt.want)
			}
		})
	}
	if diff := cmp.Diff([]string{"bob"}, s.RequestedReviewers(testRepo, pr.Number)); diff != "" {
		t.Errorf("requested (-want +got):\n%s", diff)
	}
	s.SubmitReview("bob", testRepo, pr.Number, "approved")
	s.ClosePR("alice", testRepo, pr.Number, true)
	got := must[*github.PullRequest](t)(c.PullRequests.Get(ctxBG, owner, repoName, pr.Number))
	if !got.GetMerged() || got.GetState() != "closed" || got.GetUser().GetLogin() != "alice" || len(got.RequestedReviewers) != 0 {
		t.Errorf("pr = %+v", got)
	}
	rv := must[[]*github.PullRequestReview](t)(c.PullRequests.ListReviews(ctxBG, owner, repoName, pr.Number, nil))
	if len(rv) != 1 || rv[0].GetState() != "APPROVED" {
		t.Errorf("reviews = %+v", rv)
	}

	hub := s.OpenIssue("alice", testRepo, "hub", "")
	kid := s.OpenIssue("alice", testRepo, "kid", "")
	add := func() (*github.Response, error) {
		req, _ := c.NewRequest("POST", "repos/kubernetes/mentoring/issues/"+itoa(hub.Number)+"/sub_issues",
			map[string]int64{"sub_issue_id": kid.ID})
		return c.Do(ctxBG, req, nil)
	}
	if resp, err := add(); err != nil || resp.StatusCode != 201 {
		t.Fatalf("sub-issue: %v", err)
	}
	if _, err := add(); statusOf(err) != 422 {
		t.Errorf("duplicate sub-issue: %v", err)
	}
	if diff := cmp.Diff([]int{kid.Number}, s.SubIssues(testRepo, hub.Number)); diff != "" {
		t.Errorf("sub-issues (-want +got):\n%s", diff)
	}
	s.DisableSubIssues()
	if _, err := add(); statusOf(err) != 404 {
		t.Errorf("disabled: %v", err)
	}
}

func TestAppEndpoints(t *testing.T) {
	s := newTestSim(t, Options{})
	cc := githubapp.NewClientCreator(s.URL()+"/", "", s.AppID(), s.PrivateKeyPEM())
	app, err := cc.NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	a := must[*github.App](t)(app.Apps.Get(ctxBG, ""))
	if a.GetSlug() != "cohortbot" || a.GetID() != s.AppID() {
		t.Errorf("app = %+v", a)
	}
	svc := githubapp.NewInstallationsService(app)
	in, err := svc.GetByRepository(ctxBG, owner, repoName)
	if err != nil || in.ID != testInst || in.Owner != owner {
		t.Errorf("GetByRepository = %+v, %v", in, err)
	}
	all, err := svc.ListAll(ctxBG)
	if err != nil || len(all) != 1 {
		t.Errorf("ListAll = %+v, %v", all, err)
	}
	if _, err := svc.GetByOwner(ctxBG, "nobody"); err == nil {
		t.Errorf("GetByOwner(nobody) should fail")
	}
}
