package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// Abuse limits of SPEC §5, tried as issue 12 found them broken: command
// floods, mentions on demand, replays under a new delivery id, and the
// organizer check.

// stranger adds a GitHub user with read access who is on no roster.
func (e *env) stranger(login string) {
	e.Sim.AddUser(login)
	e.Sim.SetPermission(repo, login, "read")
}

// TestSixtyCommandsOneReply: one comment of 60 × "/graduate @mia" by a
// stranger gets one 😕 and one reply naming the 50 commands ignored over
// the limit, with one permission lookup (was 51 comments and 50 lookups).
func TestSixtyCommandsOneReply(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.stranger("eve")
		e.Sim.ResetRequests()
		c := e.command("eve", f.hub, strings.Repeat("/graduate @mia\n", 60), week1)
		total := len(e.Sim.Requests())
		created := e.Sim.CountRequests("POST", "/repos/{o}/{r}/issues/{n}/comments")
		perms := e.Sim.CountRequests("GET", "/repos/{o}/{r}/collaborators/{u}/permission")
		t.Logf("figure: one comment of 60 × /graduate by a stranger: %d requests to GitHub, %d comments created, %d permission lookups",
			total, created, perms)
		replies := e.repliesTo(repo, f.hub, c)
		if len(replies) != 1 || created != 1 {
			t.Fatalf("%d replies (%d comments created), want 1: %q", len(replies), created, replies)
		}
		for _, want := range []string{"@eve: ", "only the cohort's mentors and organizers may use `/graduate`",
			"(10 times)", "at most 10 commands of one comment", "and 40 more", "<details>"} {
			if !strings.Contains(replies[0], want) {
				t.Errorf("reply lacks %q:\n%s", want, replies[0])
			}
		}
		if perms != 1 {
			t.Errorf("%d permission lookups, want 1 (cached per user)", perms)
		}
		if total > 8 {
			t.Errorf("%d requests to GitHub for one refused comment, want at most 8", total)
		}
		if got := reactions(e.comment(f.hub, c.ID)); !has(got, "confused") || has(got, "+1") {
			t.Errorf("reactions %v, want 😕", got)
		}
		if o, _ := e.outcome("mia"); o != "" {
			t.Errorf("mia's outcome is %q after a stranger's /graduate", o)
		}
	})
}

// TestEditsAreCharged: every edit that re-reads the /checkin lines of a
// comment costs its author's budget, so editing a long check-in again and
// again ends in one "slow down" instead of a re-read per edit.
func TestEditsAreCharged(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		n := f.mentees["mia"]
		c := e.command("mia", n, strings.Repeat(complete+"\n", 10), week1)
		e.wantDone(t, n, c)
		before := e.writes()
		for i := 1; i <= 4; i++ {
			e.Sim.EditComment("mia", repo, c.ID, strings.Repeat(complete+"\n", 10)+fmt.Sprintf("\nedit %d", i))
			e.idle()
		}
		t.Logf("figure: four edits of a 10-/checkin comment: %d writes to GitHub", e.writes()-before)
		// 30 a minute for a roster member: the creation (10 acted on) and
		// the first two edits (10 each) fit, the next two are dropped.
		if m := e.get("/metrics"); !strings.Contains(m, "cohortbot_commands_dropped_total 20") {
			t.Errorf("metrics:\n%s", grepLines(m, "cohortbot_commands_dropped"))
		}
		replies := e.repliesTo(repo, n, c)
		if len(replies) != 1 || strings.Count(replies[0], "slow down") != 1 {
			t.Errorf("want one reply saying slow down once, got %q", replies)
		}
	})
}

// TestEchoMentionsNobody: arguments that open a code fence, carry handles or
// run to 60,000 characters are echoed cut and inert: the one reply mentions
// only its author and roster members, and GitHub accepts it.
func TestEchoMentionsNobody(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		body := strings.Join([]string{
			"/graduate @mia ```@alice",
			"/extend ```",
			"@carol @dora",
			"/remove-mentee @dan-x",
			// An organizer's own command, so that the argument itself is
			// answered (the gate would refuse an organizer's /checkin first).
			"/add-mentor " + strings.Repeat("@zoe.", 12000),
			"```",
			"@erin",
		}, "\n")
		c := e.command(organizer, f.hub, body, week1)
		replies := e.repliesTo(repo, f.hub, c)
		if len(replies) != 1 {
			t.Fatalf("%d replies, want 1", len(replies))
		}
		r := replies[0]
		if len(r) > 65536 {
			t.Errorf("reply of %d characters", len(r))
		}
		allowed := []string{organizer}
		for _, p := range people {
			allowed = append(allowed, p)
		}
		for _, m := range cohort.Mentions(r) {
			if !has(allowed, m) {
				t.Errorf("reply mentions @%s:\n%.2000s", m, r)
			}
		}
		for _, want := range []string{"`@dan-x` is not a mentee", "is not a link", "is not a GitHub handle"} {
			if !strings.Contains(r, want) {
				t.Errorf("reply lacks %q:\n%.2000s", want, r)
			}
		}
	})
}

// TestReplayUnderNewDeliveryID: a captured /withdraw sent again under a new
// delivery id, after the mentee was added back, does not withdraw them again.
func TestReplayUnderNewDeliveryID(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		w := e.command(organizer, f.hub, "/withdraw @pete", week1)
		e.wantDone(t, f.hub, w)
		a := e.command(organizer, f.hub, "/add-mentee @pete -> @mentor-ann", week1.Add(time.Hour))
		e.wantDone(t, f.hub, a)
		if e.Sim.Resend(e.deliveryOf(w.ID, "created")) == "" {
			t.Fatal("could not resend the /withdraw delivery")
		}
		e.idle()
		if o, _ := e.outcome("pete"); o != "" {
			t.Errorf("pete's outcome is %q after the replay, want none", o)
		}
		if is := e.Sim.Issue(repo, e.menteeIssue("pete")); is.State != "open" {
			t.Errorf("pete's issue is %s after the replay", is.State)
		}
		if !strings.Contains(e.rosterRegion(f.hub), "@pete") {
			t.Errorf("pete is off the roster after the replay:\n%s", e.rosterRegion(f.hub))
		}
	})
}

// TestOrganizerTeams: an error on one org/team entry does not stop the
// others from being tried, and a team the App cannot see (no members:read)
// is reported on the issue instead of refusing the organizer.
func TestOrganizerTeams(t *testing.T) {
	tests := []struct {
		name      string
		fail      string // team path answered with status
		status    int
		want      string // "" for done
		wantNotIn string
	}{
		{name: "a failing team before the right one", fail: "/orgs/kubernetes/teams/flaky/", status: http.StatusInternalServerError},
		{name: "no members:read", fail: "/orgs/kubernetes/teams/", status: http.StatusNotFound,
			want: "`members:read`", wantNotIn: "only organizers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start(t, func(e *env) {
				f := e.createCohort()
				e.Sim.PutFile(repo, ".github/cohortbot.yml", "organizers:\n  - kubernetes/flaky\n  - kubernetes/admins\n")
				e.Sim.AddTeamMember("kubernetes", "admins", organizer)
				e.Sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
					if !strings.Contains(r.URL.Path, tc.fail) {
						return false
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tc.status)
					fmt.Fprintf(w, `{"message":%q}`, http.StatusText(tc.status))
					return true
				})
				c := e.command(organizer, f.hub, "/skip-week 5", week1)
				if tc.want == "" {
					e.wantDone(t, f.hub, c)
					return
				}
				e.wantRefused(t, f.hub, c, tc.want)
				if _, reply := e.answer(f.hub, c); strings.Contains(reply, tc.wantNotIn) {
					t.Errorf("reply says %q:\n%s", tc.wantNotIn, reply)
				}
			})
		})
	}
}
