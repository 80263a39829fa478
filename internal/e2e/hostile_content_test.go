package e2e

import (
	"strings"
	"testing"
)

// TestMaximalIssueBody: a request body of 65,536 characters, GitHub's
// limit, is answered with the problems of the form (one comment, itself
// within GitHub's limit) and creates nothing.
func TestMaximalIssueBody(t *testing.T) {
	start(t, func(e *env) {
		pad := 65536 - len(form(with(validFields(), "Notes", "n"))) + 1
		body := form(with(validFields(), "Notes", strings.Repeat("n", pad)))
		if len(body) != 65536 {
			e.t.Fatalf("body is %d characters", len(body))
		}
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", body, "cohort/request")
		e.idle()
		cs := e.botComments(req.Number)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "Notes") || !strings.Contains(cs[0].Body, "at most 5000") {
			e.t.Fatalf("want one comment saying the notes are too long, got %d: %+v", len(cs), cs)
		}
		if len(e.issuesWithLabel("cohort/hub")) != 0 {
			t.Error("a cohort was created from an oversize request")
		}
	})
}

// TestThousandCommandLines: the bot acts on the first cohort.MaxCommands
// commands of a comment and names the ignored ones once, in one reply.
func TestThousandCommandLines(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		n := f.mentees["mia"]
		before := len(e.botComments(n))
		c := e.command("mia", n, strings.Repeat("/away\n", 1000), week1)
		if got := reactions(e.comment(n, c.ID)); !has(got, "+1") || has(got, "confused") {
			t.Errorf("reactions %v, want 👍", got)
		}
		var notices []string
		for _, bc := range e.botComments(n)[before:] {
			notices = append(notices, bc.Body)
		}
		if len(notices) != 1 || !strings.Contains(notices[0], "at most 10 commands of one comment") || !strings.Contains(notices[0], "and 980 more") || !strings.HasPrefix(notices[0], "@mia: ") {
			t.Errorf("want one notice that the rest were ignored, got %q", notices)
		}
	})
}

// TestLookalikeHandles: a handle with a Cyrillic letter is refused with the
// reason, in a command and in the request form; nothing happens to the
// Latin-lettered person it imitates.
func TestLookalikeHandles(t *testing.T) {
	start(t, func(e *env) {
		const fake = "m\u0456a" // Cyrillic і
		f := e.createCohort()
		tests := []struct{ name, author, body string }{
			{"checkin for", "mentor-ann", "/checkin @" + fake + "\nAccomplishments: a\nChallenges: b"},
			{"graduate", organizer, "/graduate @" + fake},
			{"withdraw", organizer, "/withdraw @" + fake},
			{"add-mentee", organizer, "/add-mentee @" + fake + " -> @mentor-ann"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := e.command(tc.author, f.hub, tc.body, week1)
				e.wantRefused(t, f.hub, c, "Cyrillic letter")
			})
		}
		mi := e.Sim.Issue(repo, f.mentees["mia"])
		for _, l := range []string{"checkin/week-1", "outcome/graduated", "outcome/withdrawn"} {
			if has(mi.Labels, l) {
				t.Errorf("mia's issue got %s", l)
			}
		}
		if mi.State != "open" {
			t.Errorf("mia's issue is %s", mi.State)
		}
		req := e.Sim.OpenIssue(organizer, repo, "Another cohort",
			form(with(validFields(), "Cohort name", "Look-alikes", "Mentees", "@"+fake+" -> @mentor-ann")), "cohort/request")
		e.idle()
		if cs := e.botComments(req.Number); len(cs) != 1 || !strings.Contains(cs[0].Body, "Cyrillic letter") {
			t.Errorf("want one comment naming the Cyrillic letter, got %+v", cs)
		}
		if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
			t.Errorf("%d hubs, want 1", n)
		}
	})
}

// TestConfigNotYAML: a repository config file that is not YAML at all is
// reported on the issue, naming the file, and nothing else is done — for a
// request and for a command.
func TestConfigNotYAML(t *testing.T) {
	for _, content := range []string{"organizers: [olivia\n\t- : :\n", "\x00\x01\x02 binary", "<html><body>not yaml</body></html>\n: x"} {
		t.Run(strings.Fields(content)[0], func(t *testing.T) {
			start(t, func(e *env) {
				f := e.createCohort()
				e.Sim.PutFile(repo, ".github/cohortbot.yml", content)
				before := len(e.botComments(f.mentees["mia"]))
				c := e.command("mia", f.mentees["mia"], "/away", week1)
				cs := e.botComments(f.mentees["mia"])[before:]
				if len(cs) != 1 || !strings.Contains(cs[0].Body, ".github/cohortbot.yml") {
					t.Errorf("want one comment naming .github/cohortbot.yml, got %+v", cs)
				}
				if got := reactions(e.comment(f.mentees["mia"], c.ID)); has(got, "+1") {
					t.Errorf("the command was done despite the broken config: %v", got)
				}
				req := e.Sim.OpenIssue(organizer, repo, "Another", form(with(validFields(), "Cohort name", "Other")), "cohort/request")
				e.idle()
				if cs := e.botComments(req.Number); len(cs) != 1 || !strings.Contains(cs[0].Body, ".github/cohortbot.yml") {
					t.Errorf("request: want one comment naming the file, got %+v", cs)
				}
				if n := len(e.issuesWithLabel("cohort/hub")); n != 1 {
					t.Errorf("%d hubs, want 1", n)
				}
			})
		})
	}
}
