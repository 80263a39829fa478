package ghsim

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestAuth(t *testing.T) {
	s := newTestSim(t, Options{})
	other := New(Options{})
	defer other.Close()
	tests := []struct {
		name   string
		auth   string
		method string
		path   string
		want   int
	}{
		{name: "no credentials", path: "/repos/kubernetes/mentoring", want: 401},
		{name: "unknown token", auth: "token ghs_nope", path: "/repos/kubernetes/mentoring", want: 401},
		{name: "JWT from another key", auth: "Bearer " + signJWT(t, other, s.AppID()), method: "POST",
			path: "/app/installations/7/access_tokens", want: 401},
		{name: "JWT with wrong iss", auth: "Bearer " + signJWT(t, s, 99), method: "POST",
			path: "/app/installations/7/access_tokens", want: 401},
		{name: "good JWT", auth: "Bearer " + signJWT(t, s, s.AppID()), method: "POST",
			path: "/app/installations/7/access_tokens", want: 201},
		{name: "good JWT, unknown installation", auth: "Bearer " + signJWT(t, s, s.AppID()), method: "POST",
			path: "/app/installations/8/access_tokens", want: 404},
		{name: "installation endpoint with JWT", auth: "Bearer " + signJWT(t, s, s.AppID()),
			path: "/repos/kubernetes/mentoring/installation", want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			req, _ := http.NewRequest(method, s.URL()+tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	// Through the real client stack: token minted once, then reused.
	c := ghinstallationClient(t, s, testInst)
	repo := must[*github.Repository](t)(c.Repositories.Get(ctxBG, owner, repoName))
	if repo.GetDefaultBranch() != "main" || repo.GetOwner().GetLogin() != owner {
		t.Errorf("repo = %+v", repo)
	}
	must[*github.Repository](t)(c.Repositories.Get(ctxBG, owner, repoName))
	if n := s.CountRequests("POST", "/app/installations/{id}/access_tokens"); n != 4+1 {
		t.Errorf("access token requests = %d, want 5 (4 in the table + 1 minted once by the client)", n)
	}
	last := s.Requests()[len(s.Requests())-1]
	if last.Installation != testInst || last.Status != 200 {
		t.Errorf("last request = %+v", last)
	}
}

func TestIssues(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	created := must[*github.Issue](t)(c.Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{
		Title: github.String("Cohort: SIG Apps"), Body: github.String("hub"),
		Labels: &[]string{"cohort/hub", "cohort/active"}, Assignees: &[]string{"alice", "bob"},
	}))
	want := &Issue{
		ID: created.GetID(), NodeID: created.GetNodeID(), Repo: testRepo, Number: 1, Title: "Cohort: SIG Apps",
		Body: "hub", State: "open", User: "cohortbot[bot]", Labels: []string{"cohort/hub", "cohort/active"},
		Assignees: []string{"alice", "bob"}, Reactions: []Reaction{},
		CreatedAt: time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC),
		HTMLURL: s.URL() + "/kubernetes/mentoring/issues/1",
	}
	if diff := cmp.Diff(want, s.Issue(testRepo, 1)); diff != "" {
		t.Errorf("issue (-want +got):\n%s", diff)
	}
	if created.GetUser().GetType() != "Bot" || created.GetHTMLURL() != want.HTMLURL || len(created.Labels) != 2 {
		t.Errorf("created = %+v", created)
	}
	if got := s.Labels(testRepo); len(got) != 2 || got[0].Color != "ededed" {
		t.Errorf("labels created on the fly = %+v", got)
	}
	_, _, err := c.Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{
		Title: github.String("x"), Assignees: &[]string{"nobody-known"}})
	if statusOf(err) != 422 {
		t.Errorf("unknown assignee: err = %v, want 422", err)
	}
	edited := must[*github.Issue](t)(c.Issues.Edit(ctxBG, owner, repoName, 1, &github.IssueRequest{
		Body: github.String("hub v2"), State: github.String("closed"), StateReason: github.String("not_planned"),
		Labels: &[]string{"cohort/hub"}}))
	if edited.GetState() != "closed" || edited.GetStateReason() != "not_planned" || edited.GetClosedAt().IsZero() ||
		edited.GetBody() != "hub v2" || len(edited.Labels) != 1 {
		t.Errorf("edited = %+v", edited)
	}
	got := must[*github.Issue](t)(c.Issues.Get(ctxBG, owner, repoName, 1))
	if got.GetBody() != "hub v2" || got.GetComments() != 0 {
		t.Errorf("get = %+v", got)
	}
	if _, _, err := c.Issues.Get(ctxBG, owner, repoName, 99); statusOf(err) != 404 {
		t.Errorf("missing issue: %v", err)
	}
}

func TestListIssues(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	s.CreateLabel(testRepo, "cohort/mentee", "")
	for i := 0; i < 5; i++ {
		s.OpenIssue("alice", testRepo, "mentee", "", "cohort/mentee")
	}
	s.OpenIssue("bob", testRepo, "other", "")
	s.OpenPR("bob", testRepo, "a PR", "")
	s.CloseIssue("alice", testRepo, 1, "")
	tests := []struct {
		name string
		opts github.IssueListByRepoOptions
		want []int
	}{
		{name: "default open, newest first", want: []int{7, 6, 5, 4, 3, 2}},
		{name: "all", opts: github.IssueListByRepoOptions{State: "all"}, want: []int{7, 6, 5, 4, 3, 2, 1}},
		{name: "closed", opts: github.IssueListByRepoOptions{State: "closed"}, want: []int{1}},
		{name: "label", opts: github.IssueListByRepoOptions{Labels: []string{"cohort/mentee"}}, want: []int{5, 4, 3, 2}},
		{name: "creator asc", opts: github.IssueListByRepoOptions{Creator: "bob", Direction: "asc"}, want: []int{6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			opts := tt.opts
			opts.PerPage = 2
			for {
				page, resp, err := c.Issues.ListByRepo(ctxBG, owner, repoName, &opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, is := range page {
					got = append(got, is.GetNumber())
				}
				if resp.NextPage == 0 {
					break
				}
				opts.Page = resp.NextPage
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("numbers (-want +got):\n%s", diff)
			}
		})
	}
	pr := must[*github.Issue](t)(c.Issues.Get(ctxBG, owner, repoName, 7))
	if !pr.IsPullRequest() {
		t.Errorf("issue 7 should carry pull_request")
	}
}

func TestLabels(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	s.OpenIssue("alice", testRepo, "t", "")
	l := must[*github.Label](t)(c.Issues.CreateLabel(ctxBG, owner, repoName, &github.Label{
		Name: github.String("checkin/week-1"), Color: github.String("0E8A16"), Description: github.String("week 1")}))
	if l.GetColor() != "0e8a16" || l.GetID() == 0 {
		t.Errorf("label = %+v", l)
	}
	_, _, err := c.Issues.CreateLabel(ctxBG, owner, repoName, &github.Label{Name: github.String("CHECKIN/Week-1")})
	var er *github.ErrorResponse
	if statusOf(err) != 422 || !errorsAs(err, &er) || er.Errors[0].Code != "already_exists" {
		t.Errorf("duplicate: %v", err)
	}
	// go-github does not escape names; both the escaped and raw slash work, as on GitHub.
	for _, name := range []string{"checkin%2Fweek-1", "checkin/week-1"} {
		got := must[*github.Label](t)(c.Issues.GetLabel(ctxBG, owner, repoName, name))
		if got.GetName() != "checkin/week-1" {
			t.Errorf("GetLabel(%q) = %+v", name, got)
		}
	}
	if _, _, err := c.Issues.GetLabel(ctxBG, owner, repoName, "nope"); statusOf(err) != 404 {
		t.Errorf("missing label: %v", err)
	}
	must[[]*github.Label](t)(c.Issues.AddLabelsToIssue(ctxBG, owner, repoName, 1, []string{"checkin/week-1", "fresh"}))
	if diff := cmp.Diff([]string{"checkin/week-1", "fresh"}, s.Issue(testRepo, 1).Labels); diff != "" {
		t.Errorf("labels after add (-want +got):\n%s", diff)
	}
	if _, err := c.Issues.RemoveLabelForIssue(ctxBG, owner, repoName, 1, "fresh"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Issues.RemoveLabelForIssue(ctxBG, owner, repoName, 1, "fresh"); statusOf(err) != 404 {
		t.Errorf("removing absent label: %v", err)
	}
	must[[]*github.Label](t)(c.Issues.ReplaceLabelsForIssue(ctxBG, owner, repoName, 1, []string{"a", "b"}))
	if diff := cmp.Diff([]string{"a", "b"}, s.Issue(testRepo, 1).Labels); diff != "" {
		t.Errorf("labels after replace (-want +got):\n%s", diff)
	}
	all := must[[]*github.Label](t)(c.Issues.ListLabels(ctxBG, owner, repoName, nil))
	if len(all) != 4 {
		t.Errorf("repo labels = %d, want 4", len(all))
	}
}

func TestCommentsAndReactions(t *testing.T) {
	var invalid []string // the one request below that GitHub refuses
	s := newTestSim(t, Options{OnInvalid: func(m, p, problem string) { invalid = append(invalid, m+" "+problem) }})
	c := botClient(t, s)
	s.OpenIssue("alice", testRepo, "t", "")
	at := time.Date(2027, 2, 1, 9, 30, 0, 0, time.UTC)
	mentee := s.CommentAt("alice", testRepo, 1, "/checkin done", at)
	bot := must[*github.IssueComment](t)(c.Issues.CreateComment(ctxBG, owner, repoName, 1,
		&github.IssueComment{Body: github.String("board")}))
	if !strings.HasSuffix(bot.GetHTMLURL(), "/kubernetes/mentoring/issues/1#issuecomment-"+itoa64(bot.GetID())) {
		t.Errorf("html_url = %s", bot.GetHTMLURL())
	}
	must[*github.IssueComment](t)(c.Issues.EditComment(ctxBG, owner, repoName, bot.GetID(),
		&github.IssueComment{Body: github.String("board v2")}))
	list := must[[]*github.IssueComment](t)(c.Issues.ListComments(ctxBG, owner, repoName, 1, nil))
	if len(list) != 2 || !list[0].GetCreatedAt().Time.Equal(at) || list[1].GetBody() != "board v2" {
		t.Errorf("comments = %+v", list)
	}
	r1, resp, err := c.Reactions.CreateIssueCommentReaction(ctxBG, owner, repoName, mentee.ID, "+1")
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("first reaction: %v %v", resp, err)
	}
	r2, resp, err := c.Reactions.CreateIssueCommentReaction(ctxBG, owner, repoName, mentee.ID, "+1")
	if err != nil || resp.StatusCode != 200 || r2.GetID() != r1.GetID() {
		t.Fatalf("repeated reaction: %v %v", resp, err)
	}
	if _, _, err := c.Reactions.CreateIssueCommentReaction(ctxBG, owner, repoName, mentee.ID, "thumbsup"); statusOf(err) != 422 {
		t.Errorf("bad content: %v", err)
	}
	if len(invalid) != 1 || !strings.Contains(invalid[0], "/content") {
		t.Errorf("invalid requests reported: %q, want the bad content", invalid)
	}
	wantR := []Reaction{{ID: r1.GetID(), User: "cohortbot[bot]", Content: "+1", CreatedAt: at.AddDate(0, 1, 0).Add(150 * time.Minute)}}
	if diff := cmp.Diff(wantR, s.Comments(testRepo, 1)[0].Reactions); diff != "" {
		t.Errorf("reactions (-want +got):\n%s", diff)
	}
	if _, err := c.Reactions.DeleteIssueCommentReaction(ctxBG, owner, repoName, mentee.ID, r1.GetID()); err != nil {
		t.Fatal(err)
	}
	must[*github.Reaction](t)(c.Reactions.CreateIssueReaction(ctxBG, owner, repoName, 1, "eyes"))
	if got := s.Issue(testRepo, 1).Reactions; len(got) != 1 || got[0].Content != "eyes" {
		t.Errorf("issue reactions = %+v", got)
	}
	if _, err := c.Issues.DeleteComment(ctxBG, owner, repoName, bot.GetID()); err != nil {
		t.Fatal(err)
	}
	if got := s.Comments(testRepo, 1); len(got) != 1 || got[0].Reactions == nil || len(got[0].Reactions) != 0 {
		t.Errorf("after delete = %+v", got)
	}
}
