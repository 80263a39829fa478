package inproc_test

import (
	"context"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/ghsim/inproc"
)

// BenchmarkCall measures one typical flow call pair — a comment and a
// reaction on it — through each way of reaching the sim: Direct, the
// production client over the in-process transport, and the production
// client over loopback HTTP (as internal/e2e does). The sim's rate limit
// (5,000 requests an hour per installation) applies to the last two: run
// it with -benchtime 1000x.
func BenchmarkCall(b *testing.B) {
	sim := ghsim.New(ghsim.Options{})
	defer sim.Close()
	sim.AddInstallation(1, "org") // one per way, each with its own quota
	sim.AddInstallation(2, "org2")
	sim.AddInstallation(3, "org3")
	for _, r := range []string{"org/repo", "org2/repo", "org3/repo"} {
		sim.AddRepo(map[string]int64{"org/repo": 1, "org2/repo": 2, "org3/repo": 3}[r], r, false)
		sim.OpenIssue("org", r, "t", "b")
	}
	direct, _, err := inproc.NewDirect(sim, 1)
	if err != nil {
		b.Fatal(err)
	}
	transport, _, err := inproc.Client(sim, 2)
	if err != nil {
		b.Fatal(err)
	}
	raw := github.NewClient(nil).WithAuthToken(sim.InstallationToken(3))
	raw.BaseURL, _ = url.Parse(sim.URL() + "/")
	loopback := gh.New(raw, &sync.Map{})
	for _, c := range []struct {
		name, repo string
		g          flows
	}{{"direct", "org/repo", direct}, {"transport", "org2/repo", transport}, {"loopback", "org3/repo", loopback}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				id, err := c.g.CreateComment(ctx, c.repo, 1, "hello")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.g.React(ctx, c.repo, id, "+1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
