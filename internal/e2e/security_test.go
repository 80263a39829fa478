package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/testlog"
)

// TestSecretsNeverLogged runs a cohort's life with the server logging at
// debug level, then looks for the App's private key, the webhook secret,
// installation tokens (ghs_…) and App JWTs in everything it logged.
func TestSecretsNeverLogged(t *testing.T) {
	logs := &testlog.Buffer{}
	var secrets []string
	startLogged(t, logs, func(e *env) {
		for _, l := range strings.Split(string(e.Sim.PrivateKeyPEM()), "\n") {
			if len(l) >= 32 && !strings.HasPrefix(l, "-----") {
				secrets = append(secrets, l[:32])
			}
		}
		secrets = append(secrets, secret, "PRIVATE KEY")
		f := e.createCohort()
		e.taskRepo()
		pr := e.labelPR("mentor-ann", "Review me")
		e.command("mia", f.mentees["mia"], complete, week1)
		e.Sim.SubmitReview("mia", kubectl, pr, "COMMENTED")
		e.command("noah", f.hub, "/checkin\nAccomplishments: none", week1)
		e.tick(week2)
		e.command("mentor-ann", f.hub, "/graduate @mia", week2)
		e.command(organizer, f.hub, "/close-cohort", week2.Add(time.Hour))
		if n := e.Sim.CountRequests("POST", "/app/installations/"); n == 0 {
			t.Error("the scenario never asked for an installation token")
		}
	})
	out := logs.String()
	for _, want := range []string{`"level":"debug"`, "recorded check-in", "stored delivery"} {
		if !strings.Contains(out, want) {
			t.Fatalf("the logs lack %q: the scenario did not run as expected", want)
		}
	}
	leaks := map[string]*regexp.Regexp{
		"installation token": regexp.MustCompile(`ghs_[A-Za-z0-9]+`),
		"JWT":                regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.eyJ`),
		"Authorization":      regexp.MustCompile(`(?i)(bearer|token) [A-Za-z0-9_.-]{20,}`),
	}
	for _, s := range secrets {
		leaks[fmt.Sprintf("secret %.12q…", s)] = regexp.MustCompile(regexp.QuoteMeta(s))
	}
	for name, re := range leaks {
		if m := re.FindString(out); m != "" {
			t.Errorf("the logs contain the %s: %q", name, m)
		}
	}
}

// TestCommandFloodIsCapped: one user posting more commands than the budget
// in a minute gets the first ones done, one "slow down" answer, and nothing
// for the rest, counted in cohortbot_commands_dropped_total; other users
// are not affected.
func TestCommandFloodIsCapped(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		n := f.mentees["mia"]
		before := e.writes()
		e.clock.Set(week1)
		var cs []int64
		for i := 0; i < 40; i++ {
			cs = append(cs, e.Sim.CommentAt("mia", repo, n, "/away", week1).ID)
		}
		e.idle()
		var done, refused int
		for _, id := range cs {
			got := reactions(e.Sim.CommentByID(id))
			switch {
			case has(got, "+1"):
				done++
			case has(got, "confused"):
				refused++
			}
		}
		var slowDown int
		for _, c := range e.botComments(n) {
			if strings.Contains(c.Body, "slow down") {
				slowDown++
			}
		}
		if done != 30 || refused != 1 || slowDown != 1 {
			t.Errorf("%d done, %d refused, %d slow-down replies; want 30 (a roster member's budget), 1, 1", done, refused, slowDown)
		}
		if w := e.writes() - before; w > 55 {
			t.Errorf("%d writes to GitHub for a flood of 40 comments", w)
		}
		if m := e.get("/metrics"); !strings.Contains(m, "cohortbot_commands_dropped_total 10") {
			t.Errorf("metrics:\n%s", grepLines(m, "cohortbot_commands_dropped"))
		}
		other := e.command("noah", f.mentees["noah"], "/away", week1)
		e.wantDone(t, f.mentees["noah"], other)
	})
}
