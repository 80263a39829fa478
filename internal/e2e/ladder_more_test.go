package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/harness"
)

// /progress by each role: a mentee on their own issue, a mentor naming a
// mentee on the hub, an organizer on the hub for everyone; a stranger and a
// mentee asking about someone not on the roster are refused and nothing is
// searched.
func TestProgressCommandByRole(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.PutFile(repo, ".github/cohortbot.yml", ladderConfig)
		f := e.createCohort()
		e.ladderWork()
		e.Sim.AddUser("randy")
		at := week1
		next := func() time.Time { at = at.Add(time.Minute); return at }

		c := e.command("mia", f.mentees["mia"], "/progress", next())
		reacts, reply := e.answer(f.mentees["mia"], c)
		if !has(reacts, "+1") || !strings.Contains(reply, "**mia** — ready to nominate ✅") ||
			!strings.Contains(reply, "| PRs reviewed | 2 | 2 | ✅ | [search](") || strings.Contains(reply, "**noah**") {
			t.Errorf("mentee's /progress: %v\n%s", reacts, reply)
		}
		if !has(e.Sim.Issue(repo, f.mentees["mia"]).Labels, "ladder/ready") || len(e.readyComments(f.mentees["mia"])) != 1 {
			t.Error("/progress that finds mia ready did not mark her so, once")
		}
		if n := e.searchCount(); n != 2 {
			t.Errorf("%d searches for one mentee's /progress, want 2", n)
		}

		c = e.command("mentor-ann", f.hub, "/progress @noah", next())
		reacts, reply = e.answer(f.hub, c)
		if !has(reacts, "+1") || !strings.Contains(reply, "**noah**") || !strings.Contains(reply, "| PRs reviewed | 1 | 2 | ⏳ |") {
			t.Errorf("mentor's /progress @noah: %v\n%s", reacts, reply)
		}

		c = e.command(organizer, f.hub, "/progress", next())
		reacts, reply = e.answer(f.hub, c)
		if !has(reacts, "+1") || strings.Count(reply, "| PRs merged |") != 8 {
			t.Errorf("organizer's /progress on the hub: %v\n%s", reacts, reply)
		}
		before := e.searchCount()
		for _, tc := range []struct{ author, body, want string }{
			{"randy", "/progress", "may use `/progress`"},
			{"pete", "/progress @randy", "`randy` is not an active mentee of this cohort"},
			{"pete", "/progress @mia extra", "usage: `/progress [@mentee]`"},
		} {
			c = e.command(tc.author, f.hub, tc.body, next())
			reacts, reply = e.answer(f.hub, c)
			if !has(reacts, "confused") || !strings.Contains(reply, tc.want) {
				t.Errorf("%s's %q: %v\n%s", tc.author, tc.body, reacts, reply)
			}
		}
		if n := e.searchCount(); n != before {
			t.Errorf("refused /progress searched %d times", n-before)
		}
	})
}

// A renamed or deleted account (GitHub answers 422 for reviewed-by: and
// author: of an unknown user) is shown as "could not be measured" with the
// reason, and the sweep goes on; a scope repository the App cannot see is
// named; incomplete results are never met.
func TestLadderBadInput(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.PutFile(repo, ".github/cohortbot.yml", ladderConfig)
		f := e.createCohort()
		e.ladderWork()
		e.Sim.DeleteUser("noah")
		e.tick(week1End)
		if r := ladderRegion(e.Sim.Issue(repo, f.mentees["noah"]).Body); strings.Count(r,
			"could not be measured: GitHub has no account noah any more (renamed or deleted?)") != 2 {
			t.Errorf("noah's region:\n%s", r)
		}
		if !has(e.Sim.Issue(repo, f.mentees["mia"]).Labels, "ladder/ready") {
			t.Error("the sweep stopped at noah")
		}

		// A private repository of another installation in the scope.
		e.Sim.AddInstallation(99, "elsewhere")
		e.Sim.AddRepo(99, "elsewhere/secret", true)
		e.Sim.PutFile(repo, ".github/cohortbot.yml", "tracks:\n  reviewer:\n    requirements: {reviewed_prs: 1}\n    scope: [kubernetes/kubernetes, elsewhere/secret]\n")
		c := e.command("pete", f.mentees["pete"], "/progress", week1End.Add(time.Hour))
		if _, reply := e.answer(f.mentees["pete"], c); !strings.Contains(reply, "could not be measured: the App cannot see elsewhere/secret (scope)") {
			t.Errorf("unseen scope repository:\n%s", reply)
		}

		// Incomplete results above the target: shown, never met.
		e.Sim.PutFile(repo, ".github/cohortbot.yml", "tracks:\n  reviewer:\n    requirements: {reviewed_prs: 1}\n    scope: [kubernetes/kubernetes]\n")
		e.Sim.SetSearchIncomplete(true)
		e.Sim.RestoreUser("noah")
		c = e.command("mentor-ann", f.hub, "/progress @noah", week1End.Add(2*time.Hour))
		if _, reply := e.answer(f.hub, c); !strings.Contains(reply, "| PRs reviewed | 1 (GitHub's results were incomplete: not counted as met) | 1 | ⏳ |") {
			t.Errorf("incomplete results:\n%s", reply)
		}
		if has(e.Sim.Issue(repo, f.mentees["noah"]).Labels, "ladder/ready") {
			t.Error("incomplete results marked noah ready")
		}
	})
}

// A requirement the bot cannot measure is a config error named on the hub
// at the boundary, and nothing is searched.
func TestLadderConfigErrors(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.Sim.PutFile(repo, ".github/cohortbot.yml", "tracks:\n  reviewer:\n    requirements: {approved_prs: 3}\n    scope: [\"not a scope\"]\n")
		e.tick(week1End)
		var said []string
		for _, c := range e.botComments(f.hub) {
			said = append(said, c.Body)
		}
		all := strings.Join(said, "\n")
		for _, want := range []string{"tracks.reviewer.requirements.approved_prs", "not a requirement cohortbot can measure",
			"tracks.reviewer.scope[0]", "is neither an owner"} {
			if !strings.Contains(all, want) {
				t.Errorf("hub comments lack %q:\n%s", want, all)
			}
		}
		if n := e.searchCount(); n != 0 {
			t.Errorf("%d searches with a broken config", n)
		}
	})
}

var _ = harness.InstallationID
