package bot_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// issueID is the issue's ID in a comment's hidden marker.
var issueID = regexp.MustCompile(`issue=[0-9]+`)

// TestFlowRequestProblems runs the request flow on one issue per kind of
// problem (SPEC §2) and compares the simulated GitHub afterwards: the
// request stays open, labelled cohort/needs-fixes when the form is at
// fault, nothing else is created, and one comment says what to fix
// (golden files in testdata/flows/request).
func TestFlowRequestProblems(t *testing.T) {
	v := bottest.ValidFields()
	tests := []struct {
		name   string
		author string
		config string // .github/cohortbot.yml, "" none
		fields map[string]string
		labels []string // the request's labels afterwards
	}{
		{name: "unknown ladder step", fields: bottest.With(v, "Ladder step", "Wizard")},
		{name: "bad handle", fields: bottest.With(v, "Mentees", "@mia\n@bad_handle!")},
		{name: "mentee twice", fields: bottest.With(v, "Mentees", "@mia\n@mia\n@noah")},
		{name: "mentor as mentee", fields: bottest.With(v, "Mentees", "@mia\n@mentor-ann")},
		{name: "impossible date", fields: bottest.With(v, "Start date", "2027-02-30")},
		{name: "end before start", fields: bottest.With(v, "End date", "2027-01-01")},
		{name: "unknown time zone", fields: bottest.With(v, "Time zone", "Mars/Olympus")},
		{name: "no mentors", fields: bottest.With(v, "Mentors", "")},
		{name: "no cohort name", fields: bottest.With(v, "Cohort name", "")},
		{name: "paired with a stranger", fields: bottest.With(v, "Mentees", "@mia -> @mentor-zed")},
		{name: "everything at once", fields: bottest.With(v, "Ladder step", "Wizard", "Mentors", "@mentor-ann",
			"Mentees", "@mia\n@mia\n@mentor-ann\n@bad_handle!", "Start date", "2027-02-30", "Time zone", "Mars/Olympus")},
		{name: "not an organizer", author: "randy", fields: v, labels: []string{}},
		{name: "broken config", config: "max_mentees: lots\n", fields: v, labels: []string{}},
		// A team GitHub does not show the App (no members:read, or no such
		// team): the organizer is told what to grant, not refused.
		{name: "organizers' team invisible", config: "organizers:\n  - kubernetes/nobody-sees\n", fields: v, labels: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := bottest.New(t)
			author := bottest.Organizer
			if tc.author != "" {
				author = tc.author
				w.Sim.SetPermission(w.Repo, author, "read")
			}
			if tc.config != "" {
				w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", tc.config)
			}
			req := w.Request(author, "New cohort", bottest.Form(tc.fields), "cohort/request")
			labels := tc.labels
			if labels == nil {
				labels = []string{"cohort/needs-fixes", "cohort/request"}
			}
			diff(t, "issues", []bottest.IssueView{issue(req.Number, "New cohort", "open", labels, nil)}, w.Issues())
			cs := w.BotComments(req.Number)
			if len(cs) != 1 {
				t.Fatalf("%d bot comments on the request, want 1: %q", len(cs), cs)
			}
			// The sim numbers issues across the tests that share it.
			w.Golden(goldenName("flows/request", tc.name), issueID.ReplaceAllString(cs[0], "issue=ID"), goldenUpdate())

			// A redelivery changes nothing and sends no second comment.
			w.Rerequest(author, req.Number)
			diff(t, "issues after a redelivery", []bottest.IssueView{issue(req.Number, "New cohort", "open", labels, nil)}, w.Issues())
			diff(t, "comments after a redelivery", cs, w.BotComments(req.Number))
		})
	}
}

// TestFlowRequestTeamMadeVisible: once the organizers' team is visible
// (the permission granted, the team created), the request's next edit
// creates the cohort; the earlier explanation is not repeated.
func TestFlowRequestTeamMadeVisible(t *testing.T) {
	w := bottest.New(t)
	team := fmt.Sprintf("organizers-%d", rand.Uint64()) // the sim is shared: a team of this run's own
	w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", "organizers:\n  - kubernetes/"+team+"\n")
	req := w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
	if n := len(w.Issues()); n != 1 {
		t.Fatalf("%d issues while the team is invisible, want the request alone", n)
	}
	w.Sim.AddTeamMember("kubernetes", team, bottest.Organizer)
	w.Rerequest(bottest.Organizer, req.Number)
	if n := len(w.Issues()); n != 10 {
		t.Fatalf("%d issues once the team is visible, want 10 (the request, the hub, 8 mentees)", n)
	}
	cs := w.BotComments(req.Number)
	if got := len(cs); got != 2 || !issueID.MatchString(cs[0]) {
		t.Errorf("bot comments on the request: want the team explanation, then the cohort's; got %q", cs)
	}
}
