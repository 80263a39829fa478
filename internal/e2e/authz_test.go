package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// A role is how the author of a command relates to the mentee it concerns.
type role string

const (
	asMentee       role = "mentee"        // the mentee themself
	asOtherMentee  role = "other mentee"  // another active mentee
	asPairedMentor role = "paired mentor" // the mentee's mentor
	asOtherMentor  role = "other mentor"  // a mentor of the cohort, not theirs
	asOrganizer    role = "organizer"
	asStranger     role = "stranger"
)

var allRoles = []role{asMentee, asOtherMentee, asPairedMentor, asOtherMentor, asOrganizer, asStranger}

// authzWorld is the cohort the authorisation table runs in.
type authzWorld struct {
	f      cohortFixture
	mentor map[string]string // mentee → paired mentor
	tasks  map[string]int    // "pass", "reassign", "task-cohort" → PR in kubectl
}

// actor is who plays r for subject.
func (w authzWorld) actor(r role, subject string) string {
	switch r {
	case asMentee:
		return subject
	case asOtherMentee:
		if subject == "noah" {
			return "mia"
		}
		return "noah"
	case asPairedMentor:
		if m := w.mentor[subject]; m != "" {
			return m
		}
		// No mentor is more an unpaired mentee's than another.
		return "mentor-cy"
	case asOtherMentor:
		for _, m := range []string{"mentor-ann", "mentor-ben", "mentor-cy"} {
			if m != w.actor(asPairedMentor, subject) {
				return m
			}
		}
	case asOrganizer:
		return organizer
	}
	return "randy"
}

// authzSpec is one command of the table: where and how it is said about a
// subject mentee, and the roles SPEC §5 allows, each with the subject of
// its allowed row (allowed commands change state, so rows that would clash
// — withdrawing the same mentee twice — concern different mentees). Allowed
// rows run in waves: a wave's rows at once, after the previous wave's.
type authzSpec struct {
	wave    int
	command string
	subject string // the mentee the refused rows concern
	on      func(w authzWorld, subject string) (repo string, issue int)
	body    string // %[1]s is the subject
	allowed map[role]string
}

func onHub(w authzWorld, _ string) (string, int) { return repo, w.f.hub }
func onOwn(w authzWorld, s string) (string, int) { return repo, w.f.mentees[s] }
func onTask(name string) func(authzWorld, string) (string, int) {
	return func(w authzWorld, _ string) (string, int) { return kubectl, w.tasks[name] }
}

// authzSpecs is in the order the rows run; /close-cohort ends the cohort,
// so it comes last.
func authzSpecs(w authzWorld, passer string) []authzSpec {
	return []authzSpec{
		{1, "checkin", "mia", onOwn, "/checkin @%[1]s\nAccomplishments: a\nChallenges: b",
			map[role]string{asMentee: "mia", asPairedMentor: "mia", asOtherMentor: "mia"}},
		// Another mentee's /away excuses that mentee, never the issue's owner.
		{1, "away", "mia", onOwn, "/away", map[role]string{asMentee: "mia", asOtherMentee: "mia"}},
		{1, "graduate", "olga", onHub, "/graduate @%[1]s", map[role]string{asPairedMentor: "olga", asOtherMentor: "olga", asOrganizer: "olga"}},
		{1, "pass", passer, onTask("pass"), "/pass", map[role]string{asMentee: passer}},
		{1, "reassign", "mia", onTask("reassign"), "/reassign", map[role]string{asPairedMentor: "mia", asOtherMentor: "mia"}},
		{1, "task-cohort", "mia", onTask("task-cohort"), "/task-cohort sig-cli-reviewers-2027", map[role]string{asPairedMentor: "mia"}},
		{1, "add-mentee", "mia", onHub, "/add-mentee @wes -> @mentor-cy", map[role]string{asOrganizer: "mia"}},
		{2, "remove-mentee", "wes", onHub, "/remove-mentee @wes", map[role]string{asOrganizer: "wes"}},
		{1, "add-mentor", "mia", onHub, "/add-mentor @mentor-dee", map[role]string{asOrganizer: "mia"}},
		{2, "remove-mentor", "mia", onHub, "/remove-mentor @mentor-dee", map[role]string{asOrganizer: "mia"}},
		{1, "skip-week", "mia", onHub, "/skip-week 5", map[role]string{asOrganizer: "mia"}},
		{1, "extend", "mia", onHub, "/extend 2027-03-28", map[role]string{asOrganizer: "mia"}},
		{2, "withdraw", "pete", onHub, "/withdraw @%[1]s",
			map[role]string{asMentee: "sam", asPairedMentor: "tess", asOtherMentor: "rosa", asOrganizer: "quinn"}},
		{1, "cohort-help", "mia", onHub, "/cohort-help", map[role]string{asMentee: "mia", asOtherMentee: "mia",
			asPairedMentor: "mia", asOtherMentor: "mia", asOrganizer: "mia", asStranger: "mia"}},
		{1, "progress", "mia", onOwn, "/progress @%[1]s", map[role]string{asMentee: "mia", asOtherMentee: "mia",
			asPairedMentor: "mia", asOtherMentor: "mia", asOrganizer: "mia"}},
		{3, "close-cohort", "mia", onHub, "/close-cohort", map[role]string{asOrganizer: "mia"}},
	}
}

// newAuthzWorld creates the cohort, a second cohort sharing mentor-ann,
// and three tasks in kubectl: two assigned (labelled by mentor-ben, in one
// cohort) and one awaiting mentor-ann's /task-cohort.
func (e *env) newAuthzWorld() authzWorld {
	e.t.Helper()
	for _, u := range []string{"wes", "mentor-dee"} {
		e.Sim.AddUser(u)
		e.Sim.SetPermission(repo, u, "read")
	}
	w := authzWorld{f: e.createCohort(), mentor: map[string]string{}, tasks: map[string]int{}}
	e.taskRepo()
	e.secondCohort()
	w.tasks["pass"] = e.labelPR("mentor-ben", "Pass me on")
	w.tasks["reassign"] = e.labelPR("mentor-ben", "Hand me on")
	w.tasks["task-cohort"] = e.labelPR("mentor-ann", "Which cohort?")
	e.idle()
	c, _, _, err := e.Server.Store.CohortByIssue(context.Background(), repo, w.f.hub)
	if err != nil {
		e.t.Fatal(err)
	}
	ms, err := e.Server.Store.Members(context.Background(), c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range ms {
		w.mentor[m.Handle] = m.Mentor
	}
	w.mentor["wes"] = "mentor-cy"
	return w
}

// TestAuthorisationTable says every command of bot.Commands as every role,
// through the real server: the roles SPEC §5 allows get 👍, the others 😕
// and one reply "@user: why" — and a refused command changes nothing (the
// allowed rows after it would then fail).
func TestAuthorisationTable(t *testing.T) {
	start(t, func(e *env) {
		w := e.newAuthzWorld()
		reviewers := e.Sim.RequestedReviewers(kubectl, w.tasks["pass"])
		if len(reviewers) != 1 {
			t.Fatalf("pass task requested %v", reviewers)
		}
		specs := authzSpecs(w, reviewers[0])
		// Refused rows change nothing, so they are all said at once; the
		// allowed ones run one by one, in the table's order.
		var refused []authzRow
		allowed := map[int][]authzRow{}
		for _, s := range specs {
			for _, r := range allRoles {
				if subject, ok := s.allowed[r]; ok {
					allowed[s.wave] = append(allowed[s.wave], w.row(s, r, subject, true))
				} else {
					refused = append(refused, w.row(s, r, s.subject, false))
				}
			}
		}
		e.sayAll(t, week1, refused)
		for wave := 1; wave <= 3; wave++ {
			e.sayAll(t, week1.Add(time.Duration(wave)*time.Hour), allowed[wave])
		}
		covered := map[string]bool{}
		for _, s := range specs {
			covered[s.command] = true
		}
		for _, c := range bot.Commands {
			if !covered[c.Name] {
				t.Errorf("command /%s has no rows in the authorisation table", c.Name)
			}
		}
	})
}

// sayAll posts rows at once, at the instant at, and checks the answers.
func (e *env) sayAll(t *testing.T, at time.Time, rows []authzRow) {
	e.clock.Set(at)
	for i := range rows {
		rows[i].post(e, at)
	}
	e.idle()
	for _, row := range rows {
		row.check(t, e)
	}
}

// authzRow is one row of the table: a command said by a role.
type authzRow struct {
	name, author, repo, body string
	issue                    int
	allowed                  bool
	comment                  *ghsim.Comment
}

// row builds the row of spec s said as role r about subject.
func (w authzWorld) row(s authzSpec, r role, subject string, allowed bool) authzRow {
	author := w.actor(r, subject)
	rp, n := s.on(w, subject)
	body := s.body
	if strings.Contains(body, "%[1]s") {
		body = fmt.Sprintf(body, subject)
	}
	verb := map[bool]string{true: "allowed", false: "refused"}[allowed]
	return authzRow{name: fmt.Sprintf("%s/%s/%s", s.command, r, verb), author: author, repo: rp, body: body, issue: n, allowed: allowed}
}

func (row *authzRow) post(e *env, at time.Time) {
	if row.author == "" {
		e.t.Fatalf("%s: nobody plays the role", row.name)
	}
	row.comment = e.Sim.CommentAt(row.author, row.repo, row.issue, row.body, at)
}

// check compares the bot's answer with the row's expectation.
func (row authzRow) check(t *testing.T, e *env) {
	t.Run(row.name, func(t *testing.T) {
		got, replies := reactions(e.Sim.CommentByID(row.comment.ID)), e.repliesTo(row.repo, row.issue, row.comment)
		switch {
		case row.allowed && (!has(got, "+1") || has(got, "confused")):
			t.Errorf("@%s %q: want 👍, got %v, replies %q", row.author, row.body, got, replies)
		case !row.allowed && (!has(got, "confused") || has(got, "+1")):
			t.Errorf("@%s %q: want 😕, got %v, replies %q", row.author, row.body, got, replies)
		case !row.allowed && (len(replies) != 1 || !strings.HasPrefix(replies[0], "@"+row.author+": ") || !strings.Contains(replies[0], "<details>")):
			t.Errorf("@%s %q: want one reply \"@%s: …\" quoting the command, got %q", row.author, row.body, row.author, replies)
		case !row.allowed && !(strings.Contains(replies[0], "only ") && strings.Contains(replies[0], " may ")):
			// Refused for who the author is, not for another reason that
			// would hide a missing check.
			t.Errorf("@%s %q: the reply does not say who may: %q", row.author, row.body, replies[0])
		}
	})
}

// repliesTo returns the bot's replies to comment c on issue n of r, their
// defused mentions made plain.
func (e *env) repliesTo(r string, n int, c *ghsim.Comment) []string {
	var out []string
	for _, bc := range e.botSaid(r, n) {
		if strings.Contains(bc.Body, fmt.Sprintf("comment=%d ", c.ID)) {
			out = append(out, strings.ReplaceAll(bc.Body, "\u2060", ""))
		}
	}
	return out
}
