package gh

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

func TestPacedCreatorKeysByInstallation(t *testing.T) {
	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("unknown %s %s", m, p) }})
	defer sim.Close()
	sim.AddInstallation(7, "seven")
	sim.AddRepo(7, "seven/repo", false)
	sim.AddInstallation(8, "eight")
	sim.AddRepo(8, "eight/repo", false)
	p := NewPacer(PacerOptions{})
	cc := Paced(githubapp.NewClientCreator(sim.URL()+"/", "", sim.AppID(), sim.PrivateKeyPEM()), p)
	create := func(inst int64, owner string) error {
		c, err := cc.NewInstallationClient(inst)
		if err != nil {
			t.Fatal(err)
		}
		_, err = New(c, nil).CreateIssue(context.Background(), owner+"/repo", NewIssue{Title: "x"})
		return err
	}
	sim.InjectFaults(ghsim.Faults{Mode: ghsim.FaultSecondaryLimit, Rate: 1, Max: 1, Window: 2 * time.Second})
	err := create(7, "seven")
	var rl *RateLimited
	if !errors.As(err, &rl) || rl.Installation != 7 || rl.Reason != ReasonSecondary {
		t.Fatalf("got %v, want RateLimited for installation 7", err)
	}
	// go-github must not see the 403 as its own error either.
	var ae *github.AbuseRateLimitError
	if errors.As(err, &ae) {
		t.Error("the 403 reached go-github")
	}
	before := len(sim.Requests())
	if err := create(7, "seven"); !errors.As(err, &rl) {
		t.Errorf("second write in the window: %v, want RateLimited", err)
	}
	if n := len(sim.Requests()) - before; n != 0 {
		t.Errorf("%d requests sent during the Retry-After window", n)
	}
	if err := create(8, "eight"); err != nil {
		t.Errorf("installation 8 is not limited: %v", err)
	}
	if q := p.Quota(8); !q.Known || q.Remaining <= 0 || !q.PausedUntil.IsZero() {
		t.Errorf("quota of 8: %+v", q)
	}
	if q := p.Quota(7); !q.PausedUntil.After(time.Now()) {
		t.Errorf("quota of 7: %+v, want paused", q)
	}
}
