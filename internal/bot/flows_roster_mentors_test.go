package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// hubAssigned is issues with the hub's assignees set to mentors.
func hubAssigned(mentors ...string) func([]bottest.IssueView) []bottest.IssueView {
	return func(issues []bottest.IssueView) []bottest.IssueView {
		return changed(issues, hubIssue, func(v *bottest.IssueView) { v.Assignees = slices.Clone(mentors) })
	}
}

// addRandy makes randy a fourth mentor, so that one of the three may leave.
var addRandy = org("/add-mentor @randy")

var rosterMentorCases = []rosterPeopleCase{
	{name: "add a mentor", steps: addRandy, reacts: done, issues: hubAssigned("mentor-ann", "mentor-ben", "mentor-cy", "randy")},
	{name: "add a mentor already a mentor", steps: org("/add-mentor @Mentor-Ann"), reacts: refused},
	{name: "add a mentee as a mentor", steps: org("/add-mentor @mia"), reacts: refused},
	{name: "add a mentor without a handle", steps: org("/add-mentor"), reacts: refused},
	{name: "add a mentor by a mentor", steps: by("mentor-ann", hubIssue, "/add-mentor @randy"), reacts: refused},
	{name: "remove a mentor below the ratio", steps: org("/remove-mentor @mentor-cy"), reacts: refused},
	// mia and noah lose their pairing: the reply names them, their issues
	// name any mentor.
	{name: "remove a paired mentor", steps: seq(addRandy, org("/remove-mentor @mentor-ann")), reacts: done,
		issues: hubAssigned("mentor-ben", "mentor-cy", "randy"), show: []int{menteeIssue["mia"], menteeIssue["noah"]}},
	{name: "remove a mentor paired with one mentee", steps: seq(addRandy, org("/remove-mentor @mentor-ben")), reacts: done,
		issues: hubAssigned("mentor-ann", "mentor-cy", "randy"), show: []int{menteeIssue["olga"]}},
	{name: "remove an unpaired mentor", steps: seq(addRandy, org("/remove-mentor @mentor-cy")), reacts: done,
		issues: hubAssigned("mentor-ann", "mentor-ben", "randy")},
	{name: "remove a mentor who is not one", steps: org("/remove-mentor @mia"), reacts: refused},
	{name: "remove a mentor by a mentee", steps: by("mia", hubIssue, "/remove-mentor @mentor-cy"), reacts: refused},
}

// TestFlowRosterMentors runs /add-mentor and /remove-mentor (SPEC §5:
// organizers, on the hub, the ratio of §2 still holding) as
// TestFlowRosterPeople runs the mentee commands: a mentor added is
// assigned to the hub, a mentor removed unassigned and their mentees
// unpaired (golden files in testdata/flows/roster-mentors).
func TestFlowRosterMentors(t *testing.T) {
	runRosterPeople(t, "flows/roster-mentors", rosterMentorCases)
}

// hubTitled is issues with the hub retitled for the end date end.
func hubTitled(end string) func([]bottest.IssueView) []bottest.IssueView {
	return func(issues []bottest.IssueView) []bottest.IssueView {
		return changed(issues, hubIssue, func(v *bottest.IssueView) {
			v.Title = "Cohort: SIG Apps reviewers 2027 — Reviewer (2027-01-11 → " + end + ")"
		})
	}
}

var extendCases = []rosterPeopleCase{
	{name: "extend", steps: org("/extend 2027-04-04"), reacts: done, issues: hubTitled("2027-04-04"), show: []int{menteeIssue["mia"]}},
	{name: "shorten", steps: org("/extend 2027-03-07"), reacts: done, issues: hubTitled("2027-03-07"), show: []int{menteeIssue["mia"]}},
	// A mentee added since the cohort began has their issue rewritten too.
	{name: "extend after a mentee joined", steps: seq(org("/add-mentee @randy"), org("/extend 2027-04-04")), reacts: done,
		issues: func(before []bottest.IssueView) []bottest.IssueView {
			return randyIssue(hubTitled("2027-04-04")(before))
		},
		show: []int{11}},
	// Only the "about" region changes: a log region a person deleted stays
	// deleted (its next render is the render job's business).
	{name: "extend after the log region was deleted", steps: func(w *bottest.World) *ghsim.Comment {
		n := menteeIssue["mia"]
		body := w.Sim.Issue(w.Repo, n).Body
		w.Sim.EditIssueBody("mia", w.Repo, n, body[:strings.Index(body, "<!-- cohortbot:begin log -->")])
		return org("/extend 2027-04-04")(w)
	}, reacts: done, issues: hubTitled("2027-04-04"), show: []int{menteeIssue["mia"]}},
	// What mia wrote on her issue, above and below the bot's text, stays.
	{name: "extend keeps what the mentee wrote", steps: seq(editMia(func(body string) string {
		body = strings.Replace(body, "## Checking in", "My goal: review 20 PRs.\n\n## Checking in", 1)
		return body + "\n## My notes\n\nAsk about the release team.\n"
	}), org("/extend 2027-04-04")), reacts: done, issues: hubTitled("2027-04-04"), show: []int{menteeIssue["mia"]}},
	// An issue opened before the header was a region: the two paragraphs,
	// exactly as the bot wrote them, become the region.
	{name: "extend an issue from before the about region", steps: seq(editMia(func(body string) string {
		return strings.NewReplacer("<!-- cohortbot:begin about -->\n", "", "\n<!-- cohortbot:end about -->", "").Replace(body)
	}), org("/extend 2027-04-04")), reacts: done, issues: hubTitled("2027-04-04"), show: []int{menteeIssue["mia"]}},
	// The same, but mia reworded the greeting: her words win over the date.
	{name: "extend an issue whose old header was edited", steps: seq(editMia(func(body string) string {
		body = strings.NewReplacer("<!-- cohortbot:begin about -->\n", "", "\n<!-- cohortbot:end about -->", "").Replace(body)
		return strings.Replace(body, "Hi @mia, this is your", "Hi me, this is my", 1)
	}), org("/extend 2027-04-04")), reacts: done, issues: hubTitled("2027-04-04"), show: []int{menteeIssue["mia"]}},
	{name: "extend without a date", steps: org("/extend"), reacts: refused},
	{name: "extend to an impossible date", steps: org("/extend 2027-02-30"), reacts: refused},
	{name: "extend to the same date", steps: org("/extend 2027-03-21"), reacts: refused},
	{name: "extend too long", steps: org("/extend 2027-12-31"), reacts: refused},
	{name: "shorten into the past", steps: func(w *bottest.World) *ghsim.Comment {
		w.At(weekAt(6))
		return org("/extend 2027-02-07")(w)
	}, reacts: refused},
	{name: "shorten to before the start", steps: org("/extend 2027-01-04"), reacts: refused},
	{name: "extend by a mentor", steps: by("mentor-ann", hubIssue, "/extend 2027-04-04"), reacts: refused},
	{name: "extend on a mentee issue", steps: by(bottest.Organizer, menteeIssue["mia"], "/extend 2027-04-04"), reacts: refused},
}

// editMia has mia edit her tracking issue's body with edit.
func editMia(edit func(string) string) func(*bottest.World) *ghsim.Comment {
	return func(w *bottest.World) *ghsim.Comment {
		n := menteeIssue["mia"]
		w.Sim.EditIssueBody("mia", w.Repo, n, edit(w.Sim.Issue(w.Repo, n).Body))
		return nil
	}
}

// TestFlowExtend runs /extend (SPEC §5: organizers, on the hub, the
// form's date rules) as TestFlowRosterPeople runs the roster commands: the
// hub's title, schedule and board follow the new end date, and so do the
// mentee issues' headers (golden files in testdata/flows/extend).
func TestFlowExtend(t *testing.T) {
	runRosterPeople(t, "flows/extend", extendCases)
}
