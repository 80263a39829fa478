package ghsim

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// createIssue creates an issue titled title and returns the raw answer.
func createIssue(c *github.Client, title string) (*github.Response, error) {
	_, resp, err := c.Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{Title: github.String(title)})
	return resp, err
}

func issueTitles(s *Sim) []string {
	var out []string
	for _, is := range s.Issues(testRepo) {
		out = append(out, is.Title)
	}
	return out
}

func TestFaultAnswers(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		// check inspects the first (faulted) answer.
		check      func(t *testing.T, resp *github.Response, err error)
		wantIssues []string // issues existing after the faulted create
	}{
		{
			name:   "server error before the write",
			faults: Faults{Mode: FaultServerError, Rate: 1, Max: 1},
			check: func(t *testing.T, resp *github.Response, err error) {
				if s := statusOf(err); s != 500 && s != 502 {
					t.Errorf("status %d (%v), want 500 or 502", s, err)
				}
			},
			wantIssues: []string{"second"},
		},
		{
			name:   "server error after the write (lost answer)",
			faults: Faults{Mode: FaultServerError, Rate: 1, Max: 1, After: true},
			check: func(t *testing.T, resp *github.Response, err error) {
				if s := statusOf(err); s != 500 && s != 502 {
					t.Errorf("status %d (%v), want 500 or 502", s, err)
				}
			},
			wantIssues: []string{"first", "second"},
		},
		{
			name:   "secondary rate limit",
			faults: Faults{Mode: FaultSecondaryLimit, Rate: 1, Max: 1, Window: time.Second},
			check: func(t *testing.T, resp *github.Response, err error) {
				var ae *github.AbuseRateLimitError
				if !errors.As(err, &ae) || ae.RetryAfter == nil || *ae.RetryAfter < time.Second {
					t.Errorf("got %v, want a secondary rate limit error with Retry-After ≥ 1s", err)
				}
			},
			wantIssues: []string{"second"},
		},
		{
			name:   "429",
			faults: Faults{Mode: FaultTooManyRequests, Rate: 1, Max: 1, Window: time.Second},
			check: func(t *testing.T, resp *github.Response, err error) {
				if statusOf(err) != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
					t.Errorf("got %v, want 429 with Retry-After", err)
				}
			},
			wantIssues: []string{"second"},
		},
		{
			name:   "primary rate limit",
			faults: Faults{Mode: FaultPrimaryLimit, Rate: 1, Max: 1, Window: time.Second},
			check: func(t *testing.T, resp *github.Response, err error) {
				var re *github.RateLimitError
				if !errors.As(err, &re) || re.Rate.Remaining != 0 || !re.Rate.Reset.After(time.Now()) {
					t.Errorf("got %v, want a primary rate limit error with a future reset", err)
				}
			},
			wantIssues: []string{"second"},
		},
		{
			name:   "low quota",
			faults: Faults{Mode: FaultLowQuota, Rate: 1, Max: 1, Window: time.Second, LowRemaining: 7},
			check: func(t *testing.T, resp *github.Response, err error) {
				if err != nil || resp.Rate.Remaining != 7 {
					t.Errorf("got %v, remaining %d; want success reporting 7 left", err, resp.Rate.Remaining)
				}
			},
			wantIssues: []string{"first", "second"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSim(t, Options{})
			c := botClient(t, s)
			in := s.InjectFaults(tt.faults)
			resp, err := createIssue(c, "first")
			tt.check(t, resp, err)
			if w := in.Windows(); len(w) > 0 {
				time.Sleep(time.Until(w[0].Until))
			}
			// A fresh client: go-github remembers limits it saw and would
			// refuse to send before they end.
			if _, err := createIssue(botClient(t, s), "second"); err != nil {
				t.Fatalf("after the fault: %v", err)
			}
			if d := cmp.Diff(tt.wantIssues, issueTitles(s)); d != "" {
				t.Errorf("issues (-want +got):\n%s", d)
			}
		})
	}
}

func TestFaultWindowAnswersEveryRequest(t *testing.T) {
	s := newTestSim(t, Options{})
	c := botClient(t, s)
	in := s.InjectFaults(Faults{Mode: FaultSecondaryLimit, Rate: 1, Max: 1, Window: 2 * time.Second, WritesOnly: true})
	if _, err := createIssue(c, "first"); err == nil {
		t.Fatal("first write not limited")
	}
	// Within the window even reads are refused, with a shrinking Retry-After.
	req, _ := http.NewRequest("GET", s.URL()+"/repos/kubernetes/mentoring/issues", nil)
	resp, err := botClient(t, s).Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ra, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusForbidden || ra < 1 || ra > 3 {
		t.Errorf("read in the window: %d, Retry-After %q; want 403 and 1–3 s (the window ends on a whole second)", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	w := in.Windows()
	if len(w) != 1 || w[0].Until.Nanosecond() != 0 {
		t.Fatalf("windows %+v, want one ending on a whole second", w)
	}
	if n := len(in.Hits()); n != 2 {
		t.Errorf("%d hits, want the trigger and the read", n)
	}
	// Max reached: after the window, nothing is hit any more.
	time.Sleep(time.Until(w[0].Until))
	if _, err := createIssue(botClient(t, s), "second"); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

func TestFaultSlowAndDrop(t *testing.T) {
	tests := []struct {
		name       string
		faults     Faults
		wantIssues []string
	}{
		{"slow answer past the timeout", Faults{Mode: FaultSlow, Rate: 1, Max: 1, Delay: 600 * time.Millisecond}, []string{"first", "second"}},
		{"dropped connection", Faults{Mode: FaultDrop, Rate: 1, Max: 1}, []string{"second"}},
		{"dropped connection after the write", Faults{Mode: FaultDrop, Rate: 1, Max: 1, After: true}, []string{"first", "second"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSim(t, Options{})
			cc := githubapp.NewClientCreator(s.URL()+"/", "", s.AppID(), s.PrivateKeyPEM(), githubapp.WithClientTimeout(300*time.Millisecond))
			c, err := cc.NewInstallationClient(testInst)
			if err != nil {
				t.Fatal(err)
			}
			// Fetch the token first: the token request is never faulted.
			if _, _, err := c.Issues.ListByRepo(ctxBG, owner, repoName, nil); err != nil {
				t.Fatal(err)
			}
			s.InjectFaults(tt.faults)
			_, err = createIssue(c, "first")
			if err == nil || statusOf(err) != 0 {
				t.Errorf("got %v, want a transport error (no answer)", err)
			}
			if tt.faults.Mode == FaultSlow && !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
				t.Errorf("got %v, want a timeout", err)
			}
			time.Sleep(tt.faults.Delay) // let a slow write finish
			if _, err := createIssue(c, "second"); err != nil {
				t.Fatalf("after the fault: %v", err)
			}
			if d := cmp.Diff(tt.wantIssues, issueTitles(s)); d != "" {
				t.Errorf("issues (-want +got):\n%s", d)
			}
			if n := s.CountRequests("POST", "/repos/{o}/{r}/issues"); n != 2 {
				t.Errorf("%d POSTs recorded, want 2", n)
			}
		})
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func TestFaultRateIsDeterministic(t *testing.T) {
	pattern := func() []bool {
		s := newTestSim(t, Options{})
		c := botClient(t, s)
		s.InjectFaults(Faults{Mode: FaultServerError, Rate: 0.3, Seed: 42})
		var out []bool
		for i := 0; i < 20; i++ {
			_, err := createIssue(c, "x")
			out = append(out, err != nil)
		}
		return out
	}
	first, second := pattern(), pattern()
	if d := cmp.Diff(first, second); d != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", d)
	}
	n := 0
	for _, f := range first {
		if f {
			n++
		}
	}
	if n == 0 || n == len(first) {
		t.Errorf("%d of %d requests failed at rate 0.3", n, len(first))
	}
}
