package ghsim

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestSearchIssues(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	var problems []string
	s := newTestSim(t, Options{Now: func() time.Time { return now },
		OnInvalid: func(m, p, problem string) { problems = append(problems, problem) }})
	s.AddRepo(testInst, "kubernetes/website", false)
	s.AddRepo(99, "other/secret", true)
	// alice: 2 PRs merged in mentoring, 1 open; bob reviews two of them.
	for i := range 3 {
		pr := s.OpenPR("alice", testRepo, "pr", "")
		if i < 2 {
			s.SubmitReview("bob", testRepo, pr.Number, "APPROVED")
			s.ClosePR("bob", testRepo, pr.Number, true)
		}
	}
	own := s.OpenPR("bob", "kubernetes/website", "bob's own", "")
	s.SubmitReview("bob", "kubernetes/website", own.Number, "COMMENTED")
	c := botClient(t, s)
	count := func(q string) (int, bool, int) {
		t.Helper()
		res, resp, err := c.Search.Issues(ctxBG, q, &github.SearchOptions{ListOptions: github.ListOptions{PerPage: 1}})
		if err != nil {
			return -1, false, statusOf(err)
		}
		if got := resp.Header.Get("X-RateLimit-Resource"); got != "search" {
			t.Errorf("resource header %q", got)
		}
		if len(res.Issues) > 1 {
			t.Errorf("per_page=1 gave %d items", len(res.Issues))
		}
		return res.GetTotal(), res.GetIncompleteResults(), http.StatusOK
	}
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"is:pr is:merged author:alice org:kubernetes", 2},
		{"is:pr author:alice repo:kubernetes/mentoring", 3},
		{"is:pr reviewed-by:bob -author:bob org:kubernetes", 2},
		{"is:pr reviewed-by:bob repo:kubernetes/website", 1},
		{"is:pr reviewed-by:bob -author:bob repo:kubernetes/website repo:kubernetes/mentoring", 2},
		{"is:pr is:merged author:alice org:kubernetes merged:>=2027-03-01", 2},
		{"is:pr is:merged author:alice org:kubernetes merged:>=2027-03-02", 0},
		{"is:pr reviewed-by:bob -author:bob org:kubernetes updated:>=2027-03-02", 0},
	} {
		if got, _, st := count(tc.q); got != tc.want {
			t.Errorf("%s: %d (status %d), want %d", tc.q, got, st, tc.want)
		}
	}
	for _, q := range []string{"is:pr author:nobody-here org:kubernetes", "is:pr author:alice repo:other/secret"} {
		if _, _, st := count(q); st != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", q, st)
		}
	}
	if len(problems) != 0 {
		t.Fatalf("problems %v", problems)
	}
	if _, _, st := count("is:pr label:bug"); st != http.StatusUnprocessableEntity || len(problems) != 1 || !strings.Contains(problems[0], "label:bug") {
		t.Errorf("unknown qualifier: status %d, problems %v", st, problems)
	}
	s.SetSearchIncomplete(true)
	if _, inc, _ := count("is:pr author:alice org:kubernetes"); !inc {
		t.Error("incomplete_results not set")
	}
}

func TestSearchRateLimit(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestSim(t, Options{Now: func() time.Time { return now }})
	s.SetSearchLimit(3)
	c := botClient(t, s)
	for i := range 3 {
		_, resp, err := c.Search.Issues(ctxBG, "is:pr author:alice", nil)
		if err != nil {
			t.Fatalf("search %d: %v", i, err)
		}
		if got := resp.Header.Get("X-RateLimit-Remaining"); got != []string{"2", "1", "0"}[i] {
			t.Errorf("search %d: remaining %s", i, got)
		}
	}
	// A fresh client: go-github refuses by itself once it saw remaining 0.
	_, resp, err := botClient(t, s).Search.Issues(ctxBG, "is:pr author:alice", nil)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) || rle.Response.StatusCode != http.StatusForbidden || resp.Header.Get("Retry-After") != "60" {
		t.Fatalf("4th search: %v, Retry-After %q", err, resp.Header.Get("Retry-After"))
	}
	// The REST quota is not the search one: other requests go on.
	if _, _, err := c.Issues.ListByRepo(ctxBG, owner, repoName, nil); err != nil {
		t.Errorf("REST request during the search limit: %v", err)
	}
	now = now.Add(time.Minute)
	c = botClient(t, s) // go-github remembers the limit per client until its reset
	if _, _, err := c.Search.Issues(ctxBG, "is:pr author:alice", nil); err != nil {
		t.Errorf("after the window: %v", err)
	}
}
