package e2e

import (
	"strings"
	"testing"
	"time"
)

// menteeIssue returns the tracking issue the bot opened for handle.
func (e *env) menteeIssue(handle string) int {
	for _, i := range e.issuesWithLabel("cohort/mentee") {
		if len(i.Assignees) > 0 && i.Assignees[0] == handle {
			return i.Number
		}
	}
	return 0
}

func TestAddMentee(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		for _, u := range []string{"uma", "vera", "walt", "mentor-dee"} {
			e.Sim.AddUser(u)
		}
		f := e.createCohort()
		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/add-mentee @uma -> @mentor-ann", week2))
		n := e.menteeIssue("uma")
		if n == 0 {
			t.Fatal("no tracking issue for uma")
		}
		is := e.Sim.Issue(repo, n)
		for _, l := range []string{"cohort/mentee", "cohort/active", "in-cohort/sig-apps-reviewers-2027"} {
			if !has(is.Labels, l) {
				t.Errorf("uma's issue lacks %s: %v", l, is.Labels)
			}
		}
		if !strings.Contains(is.Body, "**Paired mentor:** @mentor-ann") || !strings.Contains(is.Title, "@uma's progress") {
			t.Errorf("uma's issue %q:\n%s", is.Title, is.Body)
		}
		if subs := e.Sim.SubIssues(repo, f.hub); !hasInt(subs, n) {
			t.Errorf("uma's issue #%d is not a sub-issue of the hub", n)
		}
		if want := "| @uma | @mentor-ann | #"; !strings.Contains(e.rosterRegion(f.hub), want) {
			t.Errorf("hub roster lacks %q:\n%s", want, e.rosterRegion(f.hub))
		}
		// Expected from the week she joined: week 1 is not owed.
		if row := e.boardRow(f.hub, "uma"); !strings.HasPrefix(row, "| @uma | · | ➖ |") {
			t.Errorf("board row %q", row)
		}
		e.wantDone(t, n, e.command("uma", n, complete, week2.Add(time.Hour)))

		// Nine mentees now; mentor-ann has three. Every problem at once.
		c := e.command(organizer, f.hub, "/add-mentee @vera -> @mentor-ann", week2.Add(2*time.Hour))
		e.wantRefused(t, f.hub, c, "@mentor-ann is already paired with 3 mentees")
		e.wantRefused(t, f.hub, c, "10 mentees need at least 4 mentors (one per 3); the cohort has 3.")
		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/add-mentor @mentor-dee", week2.Add(3*time.Hour)))
		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/add-mentee vera", week2.Add(4*time.Hour)))
		if want := "| @vera | any mentor | #"; !strings.Contains(e.rosterRegion(f.hub), want) {
			t.Errorf("hub roster lacks %q", want)
		}

		// A mentee who withdrew may rejoin: their issue comes back.
		e.command("mia", f.hub, "/withdraw", week2.Add(5*time.Hour))
		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/add-mentee @mia", week2.Add(6*time.Hour)))
		mi := e.Sim.Issue(repo, f.mentees["mia"])
		if mi.State != "open" || has(mi.Labels, "outcome/withdrawn") || !has(mi.Labels, "cohort/active") {
			t.Errorf("rejoined mia's issue: %s, labels %v", mi.State, mi.Labels)
		}
		if e.menteeIssue("mia") != f.mentees["mia"] || len(e.issuesWithLabel("cohort/mentee")) != 10 {
			t.Error("rejoining opened a second issue")
		}

		// A second cohort takes walt as a mentee.
		other := with(validFields(), "Cohort name", "SIG CLI approvers 2027", "Ladder step", "Approver",
			"Mentors", "@mentor-dee", "Mentees", "@walt")
		e.Sim.OpenIssue(organizer, repo, "New cohort", form(other), "cohort/request")
		e.idle()
		tests := []struct{ name, body, want string }{
			{"no handle", "/add-mentee", "usage: `/add-mentee @mentee [-> @mentor]`."},
			{"bad handle", "/add-mentee @wa--lt", "two hyphens in a row"},
			{"two handles", "/add-mentee @walt @xena", "holds more than one handle"},
			{"bad mentor handle", "/add-mentee @xena -> @-dee", "the mentor after the arrow"},
			{"already a mentee", "/add-mentee @NOAH", "@NOAH is already a mentee of this cohort."},
			{"a mentor", "/add-mentee @mentor-ben", "@mentor-ben is a mentor of this cohort; nobody can be both"},
			{"busy elsewhere", "/add-mentee @walt", "\uff20walt is already a mentee in the active cohort `sig-cli-approvers-2027`"},
			{"full", "/add-mentee @xena", "the cohort already has 10 mentees, the most allowed (`max_mentees: 10`)."},
			{"unknown mentor", "/add-mentee @xena -> @randy", "\uff20randy is not a mentor of this cohort"},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := e.command(organizer, f.hub, tc.body, week2.Add(time.Duration(7+i)*time.Hour))
				e.wantRefused(t, f.hub, c, tc.want)
			})
		}
		e.wantRefused(t, f.hub, e.command(organizer, f.hub, "/add-mentee @xena", time.Date(2027, 3, 22, 1, 0, 0, 0, time.UTC)),
			"the cohort ended on 2027-03-21; nobody can join it now.")
		if n := len(e.issuesWithLabel("cohort/mentee")); n != 11 {
			t.Errorf("%d mentee issues, want 10 here and walt's", n)
		}
	})
}

func TestRemoveMentee(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		f := e.createCohort()
		n := f.mentees["pete"]
		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/remove-mentee @pete", week2))
		is := e.Sim.Issue(repo, n)
		if is.State != "closed" || is.StateReason != "not_planned" || has(is.Labels, "cohort/active") {
			t.Errorf("pete's issue: %s (%s), labels %v", is.State, is.StateReason, is.Labels)
		}
		if bc := e.botComments(n); len(bc) != 1 || !strings.Contains(bc[0].Body, "was removed from the cohort") {
			t.Errorf("want one comment saying pete was removed, got %+v", bc)
		}
		if strings.Contains(e.rosterRegion(f.hub), "@pete") || e.boardRow(f.hub, "pete") != "" {
			t.Error("pete is still on the hub's roster or board")
		}
		tests := []struct{ name, body, want string }{
			{"again", "/remove-mentee @pete", "`@pete` is not a mentee of this cohort."}, // off the roster: not mentioned
			{"a mentor", "/remove-mentee @mentor-ann", "@mentor-ann is not a mentee of this cohort."},
			{"no handle", "/remove-mentee", "usage: `/remove-mentee @x`, with exactly one handle."},
			{"bad handle", "/remove-mentee @mi.a", "`@mi.a` is not a GitHub handle"},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.wantRefused(t, f.hub, e.command(organizer, f.hub, tc.body, week2.Add(time.Duration(i+1)*time.Minute)), tc.want)
			})
		}
	})
}

func TestAddAndRemoveMentors(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		e.Sim.AddUser("mentor-dee")
		f := e.createCohort()
		// Eight mentees need three mentors: none of the three may go yet.
		e.wantRefused(t, f.hub, e.command(organizer, f.hub, "/remove-mentor @mentor-ann", week1),
			"the cohort's 8 mentees need at least 3 mentors (one per 3); without @mentor-ann it would have 2.")

		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/add-mentor @mentor-dee", week1.Add(time.Minute)))
		roster := e.rosterRegion(f.hub)
		if !strings.Contains(roster, "| Mentors | @mentor-ann, @mentor-ben, @mentor-cy, @mentor-dee |") ||
			!strings.Contains(roster, "| 4 | 2027-02-01 | 2027-02-07 | @mentor-dee |") {
			t.Errorf("roster region after /add-mentor:\n%s", roster)
		}
		if !has(e.Sim.Issue(repo, f.hub).Assignees, "mentor-dee") {
			t.Error("the new mentor is not assigned to the hub")
		}
		if body := e.Sim.Issue(repo, f.mentees["pete"]).Body; !strings.Contains(body, "@mentor-dee") {
			t.Errorf("an unpaired mentee's issue does not list the new mentor:\n%s", body)
		}

		// mentor-ann's mentees lose their pairing, and the reply says so.
		c := e.command(organizer, f.hub, "/remove-mentor @mentor-ann", week1.Add(2*time.Minute))
		if got, reply := e.answer(f.hub, c); !has(got, "+1") || !strings.Contains(reply, "@mia and @noah had @mentor-ann as paired mentor") {
			t.Errorf("reactions %v, reply %q", got, reply)
		}
		roster = e.rosterRegion(f.hub)
		if strings.Contains(roster, "@mentor-ann") || !strings.Contains(roster, "| @mia | any mentor |") {
			t.Errorf("roster region after /remove-mentor:\n%s", roster)
		}
		if has(e.Sim.Issue(repo, f.hub).Assignees, "mentor-ann") {
			t.Error("the removed mentor is still assigned to the hub")
		}
		if body := e.Sim.Issue(repo, f.mentees["mia"]).Body; !strings.Contains(body, "**Paired mentor:** any of @mentor-ben") {
			t.Errorf("mia's issue still names her old mentor:\n%s", body)
		}
		// A removed mentor no longer checks in for mentees: the command's
		// gate refuses them like anyone outside the cohort.
		e.wantRefused(t, f.hub, e.command("mentor-ann", f.hub, strings.Replace(complete, "/checkin", "/checkin @mia", 1), week1.Add(3*time.Minute)),
			"only the cohort's mentees and the cohort's mentors may use `/checkin`.")

		tests := []struct{ name, body, want string }{
			{"remove a non-mentor", "/remove-mentor @mentor-ann", "@mentor-ann is not a mentor of this cohort."},
			{"remove below the ratio", "/remove-mentor @mentor-ben", "without @mentor-ben it would have 2"},
			{"add an existing mentor", "/add-mentor @MENTOR-BEN", "@MENTOR-BEN is already a mentor of this cohort."},
			{"add a mentee", "/add-mentor @quinn", "@quinn is a mentee of this cohort; nobody can be both"},
			{"add two", "/add-mentor @a @b", "usage: `/add-mentor @x`, with exactly one handle."},
			{"bad handle", "/add-mentor @ann!", "`@ann!` is not a GitHub handle"},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.wantRefused(t, f.hub, e.command(organizer, f.hub, tc.body, week1.Add(time.Duration(i+4)*time.Minute)), tc.want)
			})
		}
	})
}

func TestExtend(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		f := e.createCohort()
		e.wantDone(t, f.hub, e.command(organizer, f.hub, "/extend 2027-03-28", week2))
		hub := e.Sim.Issue(repo, f.hub)
		if want := "Cohort: SIG Apps reviewers 2027 — Reviewer (2027-01-11 → 2027-03-28)"; hub.Title != want {
			t.Errorf("hub title %q, want %q", hub.Title, want)
		}
		if !strings.Contains(e.rosterRegion(f.hub), "2027-01-11 → 2027-03-28 (11 weeks") ||
			!strings.Contains(e.rosterRegion(f.hub), "| 11 | 2027-03-22 | 2027-03-28 | @mentor-ben |") {
			t.Errorf("roster region:\n%s", e.rosterRegion(f.hub))
		}
		if row := e.boardRow(f.hub, "mia"); strings.Count(row, "|") != 13 {
			t.Errorf("board row %q does not have 11 weeks", row)
		}
		if body := e.Sim.Issue(repo, f.mentees["mia"]).Body; !strings.Contains(body, "from 2027-01-11 to 2027-03-28") {
			t.Errorf("mia's issue shows old dates:\n%s", body)
		}

		tests := []struct{ name, body, want string }{
			{"not a date", "/extend soon", "`soon` is not a real date in the form YYYY-MM-DD."},
			{"no such day", "/extend 2027-02-30", "`2027-02-30` is not a real date"},
			{"no date", "/extend", "usage: `/extend YYYY-MM-DD`"},
			{"the same", "/extend 2027-03-28", "the cohort already ends on 2027-03-28."},
			{"in the past", "/extend 2027-01-18", "the end date 2027-01-18 is in the past (today is 2027-01-19 in UTC)."},
			{"before the start", "/extend 2027-01-05", "the end date 2027-01-05 is not after the start date 2027-01-11."},
			{"too short", "/extend 2027-01-31", "the cohort lasts 3 weeks; the shortest allowed is 4. Move the end date to 2027-02-01 or later."},
			{"too long", "/extend 2027-06-01", "the cohort lasts 21 weeks; the longest allowed is 16. Move the end date to 2027-05-02 or earlier."},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.wantRefused(t, f.hub, e.command(organizer, f.hub, tc.body, week2.Add(time.Duration(i+1)*time.Minute)), tc.want)
			})
		}

		// The close moves with the end date.
		e.tick(time.Date(2027, 3, 22, 1, 0, 0, 0, time.UTC))
		if st := e.Sim.Issue(repo, f.hub).State; st != "open" {
			t.Fatalf("hub %s after the old end date, want open until 2027-03-28", st)
		}
		e.tick(time.Date(2027, 3, 29, 1, 0, 0, 0, time.UTC))
		if st := e.Sim.Issue(repo, f.hub).State; st != "closed" {
			t.Errorf("hub %s after the new end date, want closed", st)
		}
	})
}

func hasInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// TestSeveralRosterCommandsInOneComment: each command sees the roster as
// the commands before it in the same comment left it.
func TestSeveralRosterCommandsInOneComment(t *testing.T) {
	start(t, func(e *env) {
		t := e.t
		for _, u := range []string{"uma", "vera", "mentor-dee"} {
			e.Sim.AddUser(u)
		}
		f := e.createCohort()
		c := e.command(organizer, f.hub, "/add-mentor @mentor-dee\n/add-mentee @uma\n/add-mentee @vera -> @mentor-dee", week2)
		e.wantDone(t, f.hub, c)
		roster := e.rosterRegion(f.hub)
		for _, want := range []string{"| @uma | any mentor | #", "| @vera | @mentor-dee | #", "@mentor-cy, @mentor-dee |", "| @mia | @mentor-ann |"} {
			if !strings.Contains(roster, want) {
				t.Errorf("roster region lacks %q:\n%s", want, roster)
			}
		}
	})
}
