package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// week2 is a moment inside week 2 (2027-01-18 … 2027-01-24, UTC).
var week2 = time.Date(2027, 1, 19, 10, 0, 0, 0, time.UTC)

const orgRule = "only organizers (people with write access to this repository) may"

// command posts body as author on issue at the instant at, and waits until
// the bot has answered.
func (e *env) command(author string, issue int, body string, at time.Time) *ghsim.Comment {
	e.t.Helper()
	e.clock.Set(at)
	c := e.Sim.CommentAt(author, repo, issue, body, at)
	e.idle()
	return c
}

// answer is how the bot answered comment c on issue: its reactions and its
// reply ("" when none), with the reply's defused mentions made plain.
func (e *env) answer(issue int, c *ghsim.Comment) (reacts []string, reply string) {
	for _, bc := range e.botComments(issue) {
		if strings.Contains(bc.Body, fmt.Sprintf("comment=%d ", c.ID)) {
			reply = strings.ReplaceAll(bc.Body, "\u2060", "")
		}
	}
	return reactions(e.comment(issue, c.ID)), reply
}

// wantDone checks that c got 👍 and no reply.
func (e *env) wantDone(t *testing.T, issue int, c *ghsim.Comment) {
	t.Helper()
	got, reply := e.answer(issue, c)
	if !has(got, "+1") || has(got, "confused") || reply != "" {
		t.Errorf("%q: want 👍 and no reply, got reactions %v, reply %q", c.Body, got, reply)
	}
}

// wantRefused checks that c got 😕 and one reply "@author: …want…" quoting
// the command in a collapsed block.
func (e *env) wantRefused(t *testing.T, issue int, c *ghsim.Comment, want string) {
	t.Helper()
	got, reply := e.answer(issue, c)
	if !has(got, "confused") || has(got, "+1") {
		t.Errorf("%q: want 😕 only, got %v", c.Body, got)
	}
	if !strings.HasPrefix(reply, "@"+c.User+": ") || !strings.Contains(reply, want) || !strings.Contains(reply, "<details>") {
		t.Errorf("%q: want a reply to @%s containing %q in Prow style, got %q", c.Body, c.User, want, reply)
	}
}

// rosterRegion is the hub's bot-owned roster region.
func (e *env) rosterRegion(hub int) string {
	b := e.Sim.Issue(repo, hub).Body
	i, j := strings.Index(b, "<!-- cohortbot:begin roster -->"), strings.Index(b, "<!-- cohortbot:end roster -->")
	if i < 0 || j < i {
		e.t.Fatalf("hub has no roster region:\n%s", b)
	}
	return b[i:j]
}

// member reads a mentee's stored outcome and link.
func (e *env) outcome(handle string) (outcome, link string) {
	e.t.Helper()
	err := e.Server.Store.QueryRow(context.Background(), `SELECT outcome, outcome_link FROM members
		WHERE handle_lower = ? AND role = 'mentee'`, handle).Scan(&outcome, &link)
	if err != nil {
		e.t.Fatal(err)
	}
	return outcome, link
}

// TestRosterCommandAuthorisation tries every roster command as a mentee, a
// mentor, an organizer and a stranger, in one running cohort: who SPEC §5
// allows gets 👍, anyone else 😕 and a reply saying who may.
func TestRosterCommandAuthorisation(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		e.Sim.AddUser("uma")
		e.Sim.AddUser("mentor-dee")
		f := e.createCohort()
		hub := f.hub
		mentorsOnly := "only the cohort's mentors and organizers may use `/graduate`"
		selfOrMentors := "only the mentee themself, the cohort's mentors and organizers may use `/withdraw`"
		tests := []struct {
			name, author string
			issue        int
			body         string
			want         string // "" allowed
		}{
			{"graduate/mentee", "pete", hub, "/graduate @quinn", mentorsOnly},
			{"graduate/stranger", "randy", hub, "/graduate @quinn", mentorsOnly},
			{"graduate/mentor", "mentor-cy", hub, "/graduate @quinn", ""},
			{"graduate/organizer", organizer, f.mentees["rosa"], "/graduate https://github.com/kubernetes/kubernetes/pull/1", ""},
			{"withdraw/another mentee", "pete", hub, "/withdraw @tess", selfOrMentors},
			{"withdraw/stranger", "randy", f.mentees["tess"], "/withdraw", selfOrMentors},
			{"withdraw/mentee self", "sam", f.mentees["sam"], "/withdraw", ""},
			{"withdraw/mentor", "mentor-cy", hub, "/withdraw @tess", ""},
			{"withdraw/organizer", organizer, f.mentees["olga"], "/withdraw", ""},
			{"add-mentee/mentee", "pete", hub, "/add-mentee @uma", orgRule + " use `/add-mentee`."},
			{"add-mentee/mentor", "mentor-ann", hub, "/add-mentee @uma", orgRule + " use `/add-mentee`."},
			{"add-mentee/stranger", "randy", hub, "/add-mentee @uma", orgRule + " use `/add-mentee`."},
			{"add-mentee/on a mentee issue", organizer, f.mentees["pete"], "/add-mentee @uma", "`/add-mentee` works on the hub, not here."},
			{"add-mentee/organizer", organizer, hub, "/add-mentee @uma -> @mentor-ben", ""},
			{"remove-mentee/mentee", "pete", hub, "/remove-mentee @uma", orgRule + " use `/remove-mentee`."},
			{"remove-mentee/mentor", "mentor-ben", hub, "/remove-mentee @uma", orgRule + " use `/remove-mentee`."},
			{"remove-mentee/stranger", "randy", hub, "/remove-mentee @uma", orgRule + " use `/remove-mentee`."},
			{"remove-mentee/organizer", organizer, hub, "/remove-mentee @uma", ""},
			{"add-mentor/mentee", "pete", hub, "/add-mentor @mentor-dee", orgRule + " use `/add-mentor`."},
			{"add-mentor/mentor", "mentor-ann", hub, "/add-mentor @mentor-dee", orgRule + " use `/add-mentor`."},
			{"add-mentor/stranger", "randy", hub, "/add-mentor @mentor-dee", orgRule + " use `/add-mentor`."},
			{"add-mentor/organizer", organizer, hub, "/add-mentor @mentor-dee", ""},
			{"remove-mentor/mentee", "pete", hub, "/remove-mentor @mentor-dee", orgRule + " use `/remove-mentor`."},
			{"remove-mentor/mentor", "mentor-ann", hub, "/remove-mentor @mentor-dee", orgRule + " use `/remove-mentor`."},
			{"remove-mentor/stranger", "randy", hub, "/remove-mentor @mentor-dee", orgRule + " use `/remove-mentor`."},
			{"remove-mentor/organizer", organizer, hub, "/remove-mentor @mentor-dee", ""},
			{"extend/mentee", "pete", hub, "/extend 2027-03-28", orgRule + " use `/extend`."},
			{"extend/mentor", "mentor-ann", hub, "/extend 2027-03-28", orgRule + " use `/extend`."},
			{"extend/stranger", "randy", hub, "/extend 2027-03-28", orgRule + " use `/extend`."},
			{"extend/on a mentee issue", organizer, f.mentees["pete"], "/extend 2027-03-28", "`/extend` works on the hub, not here."},
			{"extend/organizer", organizer, hub, "/extend 2027-03-28", ""},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := e.command(tc.author, tc.issue, tc.body, week1.Add(time.Duration(i)*time.Minute))
				if tc.want == "" {
					e.wantDone(t, tc.issue, c)
				} else {
					e.wantRefused(t, tc.issue, c, tc.want)
				}
			})
		}
		// Only the allowed commands changed anything.
		if got := e.labelled("outcome/graduated"); !has(got, "quinn") || !has(got, "rosa") || len(got) != 2 {
			t.Errorf("graduated: %v, want quinn and rosa", got)
		}
		if got := e.labelled("outcome/withdrawn"); len(got) != 3 || has(got, "pete") {
			t.Errorf("withdrawn: %v, want sam, tess and olga", got)
		}
		if title := e.Sim.Issue(repo, hub).Title; !strings.Contains(title, "2027-03-28") {
			t.Errorf("hub title %q does not show the new end date", title)
		}
	})
}

func TestGraduate(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		f := e.createCohort()
		link := "https://github.com/kubernetes/kubernetes/pull/4242"
		c := e.command("mentor-ann", f.hub, "/graduate @mia "+link, week2)
		e.wantDone(t, f.hub, c)
		mi := e.Sim.Issue(repo, f.mentees["mia"])
		if !has(mi.Labels, "outcome/graduated") || mi.State != "open" {
			t.Errorf("mia's issue: labels %v, state %s; want outcome/graduated and still open", mi.Labels, mi.State)
		}
		if o, l := e.outcome("mia"); o != "graduated" || l != link {
			t.Errorf("stored outcome %q, link %q", o, l)
		}
		// On a mentee issue the mentee may go unnamed; the link may be a reference.
		e.wantDone(t, f.mentees["noah"], e.command("mentor-ben", f.mentees["noah"], "/graduate kubernetes/kubernetes#7", week2))
		if o, l := e.outcome("noah"); o != "graduated" || l != "kubernetes/kubernetes#7" {
			t.Errorf("noah: stored outcome %q, link %q", o, l)
		}
		// The graduated mentee stays in the cohort and still checks in.
		e.wantDone(t, f.mentees["mia"], e.command("mia", f.mentees["mia"], complete, week2))
		if !strings.Contains(e.rosterRegion(f.hub), "| @mia |") {
			t.Error("a graduated mentee left the hub's roster")
		}

		e.command("olga", f.mentees["olga"], "/withdraw", week2)
		tests := []struct{ name, body, want string }{
			{"not a link", "/graduate @pete great", "`great` is not a link"},
			{"two links", "/graduate @pete https://a.example/1 https://a.example/2", "usage: `/graduate @mentee [link]`"},
			{"unnamed on the hub", "/graduate", "name the mentee: `/graduate @mentee`"},
			{"not a mentee", "/graduate @randy", "`@randy` is not a mentee of this cohort."},
			{"a mentor", "/graduate @mentor-cy", "@mentor-cy is not a mentee of this cohort."},
			{"bad handle", "/graduate @pe_te", "`@pe_te` is not a GitHub handle"},
			{"withdrawn", "/graduate @olga", "@olga has withdrawn from the cohort"},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.wantRefused(t, f.hub, e.command(organizer, f.hub, tc.body, week2.Add(time.Duration(i+1)*time.Minute)), tc.want)
			})
		}
		if got := e.labelled("outcome/graduated"); len(got) != 2 {
			t.Errorf("graduated after refusals: %v, want mia and noah only", got)
		}
		// The final report shows the outcomes and the links.
		// Closing writes to every issue of the cohort; under the write pacer
		// it takes longer than one command.
		e.clock.Set(week2.Add(time.Hour))
		e.Sim.CommentAt(organizer, repo, f.hub, "/close-cohort", week2.Add(time.Hour))
		if err := e.WaitIdle(2 * time.Minute); err != nil {
			t.Fatal(err)
		}
		report := ""
		for _, bc := range e.botComments(f.hub) {
			if strings.Contains(bc.Body, "cohortbot:final-report") {
				report = bc.Body
			}
		}
		for _, want := range []string{"| @mia |", "graduated (kubernetes/kubernetes#4242)", "graduated (kubernetes/kubernetes#7)", "| @olga |", "| withdrawn |"} {
			if !strings.Contains(report, want) {
				t.Errorf("final report lacks %q:\n%s", want, report)
			}
		}
	})
}

func TestWithdraw(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		f := e.createCohort()
		e.command("mia", f.mentees["mia"], complete, week1)
		c := e.command("mia", f.hub, "/withdraw", week2)
		e.wantDone(t, f.hub, c)
		mi := e.Sim.Issue(repo, f.mentees["mia"])
		if !has(mi.Labels, "outcome/withdrawn") || mi.State != "closed" || mi.StateReason != "not_planned" {
			t.Errorf("mia's issue: labels %v, %s (%s); want outcome/withdrawn, closed as not planned", mi.Labels, mi.State, mi.StateReason)
		}
		if strings.Contains(e.rosterRegion(f.hub), "@mia") {
			t.Errorf("mia still on the hub's roster:\n%s", e.rosterRegion(f.hub))
		}
		// The board keeps her history: week 1 counted, nothing owed after.
		if row := e.boardRow(f.hub, "mia"); !strings.HasPrefix(row, "| @mia | ✅ | · | · |") {
			t.Errorf("board row %q", row)
		}
		if o, _ := e.outcome("mia"); o != "withdrawn" {
			t.Errorf("stored outcome %q", o)
		}
		// A withdrawn mentee no longer checks in.
		e.wantRefused(t, f.hub, e.command("mia", f.hub, complete, week2.Add(time.Minute)), "only the cohort's mentees")

		e.command(organizer, f.hub, "/graduate @pete", week2)
		tests := []struct{ name, author, body, want string }{
			{"again", "mia", "/withdraw", "@mia has already withdrawn."},
			{"graduated", "mentor-ann", "/withdraw @pete", "@pete has graduated; a graduated mentee stays in the cohort"},
			{"unnamed by a mentor on the hub", "mentor-ann", "/withdraw", "name the mentee: `/withdraw @mentee`"},
			{"not a mentee", organizer, "/withdraw @randy", "`@randy` is not a mentee of this cohort."},
			{"extra words", "noah", "/withdraw @noah now", "usage: `/withdraw [@mentee]`."},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.wantRefused(t, f.hub, e.command(tc.author, f.hub, tc.body, week2.Add(time.Duration(i+2)*time.Minute)), tc.want)
			})
		}
		if got := e.labelled("outcome/withdrawn"); len(got) != 1 {
			t.Errorf("withdrawn after refusals: %v, want mia only", got)
		}
	})
}

// TestWithdrawResumesAfterAFailure fails GitHub's answer to closing the
// mentee issue once: the retry finishes the withdrawal rather than refusing
// it because the roster already says "withdrawn".
func TestWithdrawResumesAfterAFailure(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		f := e.createCohort()
		path := fmt.Sprintf("/repos/%s/issues/%d", repo, f.mentees["noah"])
		var failed atomic.Bool
		e.Sim.SetIntercept(func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, path) && failed.CompareAndSwap(false, true) {
				w.WriteHeader(http.StatusBadGateway)
				return true
			}
			return false
		})
		c := e.command("mentor-ben", f.hub, "/withdraw @noah", week2)
		if !failed.Load() {
			t.Fatal("the close was never attempted")
		}
		e.wantDone(t, f.hub, c)
		is := e.Sim.Issue(repo, f.mentees["noah"])
		if is.State != "closed" || !has(is.Labels, "outcome/withdrawn") {
			t.Errorf("noah's issue after the retry: %s, labels %v", is.State, is.Labels)
		}
	})
}
