package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// cohortFixture is a created cohort: hub and mentee issue numbers.
type cohortFixture struct {
	hub     int
	mentees map[string]int
}

// createCohort files the valid request and waits for the cohort.
func (e *env) createCohort() cohortFixture {
	e.t.Helper()
	e.Sim.OpenIssue(organizer, repo, "New cohort", form(validFields()), "cohort/request")
	e.idle()
	f := cohortFixture{mentees: map[string]int{}}
	hubs := e.issuesWithLabel("cohort/hub")
	if len(hubs) != 1 {
		e.t.Fatalf("%d hubs", len(hubs))
	}
	f.hub = hubs[0].Number
	for _, m := range e.issuesWithLabel("cohort/mentee") {
		f.mentees[m.Assignees[0]] = m.Number
	}
	return f
}

// week1 is a moment inside week 1 (2027-01-11 … 2027-01-17, UTC).
var week1 = time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)

const complete = "/checkin\nAccomplishments: reviewed two PRs in kubectl\nChallenges: finding time | juggling work\nNext steps: shadow a release"

func reactions(c *ghsim.Comment) []string {
	var out []string
	for _, r := range c.Reactions {
		out = append(out, r.Content)
	}
	return out
}

func (e *env) comment(n int, id int64) *ghsim.Comment {
	for _, c := range e.Sim.Comments(repo, n) {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (e *env) boardRow(hub int, handle string) string {
	for _, l := range strings.Split(e.Sim.Issue(repo, hub).Body, "\n") {
		if strings.HasPrefix(l, "| @"+handle+" |") && strings.Count(l, "|") > 5 {
			return l
		}
	}
	return ""
}

func TestCheckinIsRecorded(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		c := e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		e.idle()
		if got := reactions(e.comment(f.mentees["mia"], c.ID)); !has(got, "+1") {
			t.Errorf("reactions %v, want 👍", got)
		}
		mi := e.Sim.Issue(repo, f.mentees["mia"])
		if !has(mi.Labels, "checkin/week-1") {
			t.Errorf("mentee labels %v lack checkin/week-1", mi.Labels)
		}
		if row := e.boardRow(f.hub, "mia"); !strings.HasPrefix(row, "| @mia | ✅ | ➖ |") {
			t.Errorf("board row %q", row)
		}
		if !strings.Contains(mi.Body, "reviewed two PRs in kubectl") || !strings.Contains(mi.Body, `finding time | juggling work`) {
			t.Errorf("mentee log lacks the check-in:\n%s", mi.Body)
		}
		if n := len(e.botComments(f.mentees["mia"])); n != 0 {
			t.Errorf("%d bot replies to a good check-in, want none", n)
		}

		// A second check-in the same week replaces the text.
		e.Sim.CommentAt("mia", repo, f.hub, strings.Replace(complete, "two PRs", "five PRs", 1), week1.Add(time.Hour))
		e.idle()
		mi = e.Sim.Issue(repo, f.mentees["mia"])
		if !strings.Contains(mi.Body, "five PRs") || strings.Contains(mi.Body, "two PRs") {
			t.Errorf("log not replaced by the later check-in:\n%s", mi.Body)
		}

		// Deleting the recorded comment withdraws the record.
		latest := e.Sim.Comments(repo, f.hub)
		e.Sim.DeleteComment("mia", repo, latest[len(latest)-1].ID)
		e.idle()
		if row := e.boardRow(f.hub, "mia"); !strings.HasPrefix(row, "| @mia | ➖ |") {
			t.Errorf("board row after delete %q", row)
		}
		if has(e.Sim.Issue(repo, f.mentees["mia"]).Labels, "checkin/week-1") {
			t.Error("checkin/week-1 not removed after the check-in was deleted")
		}
	})
}

func TestIncompleteCheckinIsRecordedAfterEdit(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		n := f.mentees["noah"]
		c := e.Sim.CommentAt("noah", repo, n, "/checkin\nAccomplishments: read the contributor guide", week1)
		e.idle()
		if got := reactions(e.comment(n, c.ID)); !has(got, "confused") || has(got, "+1") {
			t.Errorf("reactions %v, want only 😕", got)
		}
		replies := e.botComments(n)
		if len(replies) != 1 || !strings.Contains(replies[0].Body, "@noah: this check-in is missing **Challenges**") ||
			!strings.Contains(replies[0].Body, "Challenges: …") {
			t.Fatalf("want one reply naming Challenges with a template, got %+v", replies)
		}
		if has(e.Sim.Issue(repo, n).Labels, "checkin/week-1") {
			t.Fatal("an incomplete check-in was recorded")
		}
		e.Sim.EditComment("noah", repo, c.ID, "/checkin\nAccomplishments: read the contributor guide\nChallenges: none yet")
		e.idle()
		if got := reactions(e.comment(n, c.ID)); !has(got, "+1") || has(got, "confused") {
			t.Errorf("reactions after the edit %v, want 👍 only", got)
		}
		after := e.botComments(n)
		if len(after) != 1 || after[0].ID != replies[0].ID || !strings.Contains(after[0].Body, "recorded") {
			t.Errorf("want the same reply edited to say recorded, got %+v", after)
		}
		if !has(e.Sim.Issue(repo, n).Labels, "checkin/week-1") {
			t.Error("not recorded after the edit")
		}
	})
}

func TestCheckinRefusals(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		tests := []struct {
			name, author, body string
			issue              int
			at                 time.Time
			want               string
		}{
			{name: "before the start", author: "olga", issue: f.mentees["olga"], body: complete, at: time.Date(2027, 1, 10, 23, 0, 0, 0, time.UTC), want: "the cohort starts on 2027-01-11"},
			{name: "after the end", author: "olga", issue: f.mentees["olga"], body: complete, at: time.Date(2027, 3, 22, 0, 30, 0, 0, time.UTC), want: "the cohort ended on 2027-03-21"},
			{name: "a stranger", author: "randy", issue: f.hub, body: complete, at: week1, want: "only the cohort's mentees"},
			{name: "a mentee for someone else", author: "pete", issue: f.hub, body: strings.Replace(complete, "/checkin", "/checkin @olga", 1), at: week1, want: "only the cohort's mentors may check in for someone else"},
			{name: "a mentor for a non-mentee", author: "mentor-ann", issue: f.hub, body: strings.Replace(complete, "/checkin", "/checkin @randy", 1), at: week1, want: "`@randy` is not an active mentee"},
			{name: "misspelled", author: "olga", issue: f.mentees["olga"], body: "/check-in\nAccomplishments: x\nChallenges: y", at: week1, want: "did you mean `/checkin`?"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.clock.Set(tc.at)
				c := e.Sim.CommentAt(tc.author, repo, tc.issue, tc.body, tc.at)
				e.idle()
				var reply *ghsim.Comment
				for _, bc := range e.botComments(tc.issue) {
					if strings.Contains(bc.Body, fmt.Sprintf("comment=%d ", c.ID)) {
						reply = bc
					}
				}
				if reply == nil || !strings.HasPrefix(reply.Body, "@"+tc.author+": ") || !strings.Contains(reply.Body, tc.want) {
					t.Fatalf("want a reply to @%s containing %q, got %+v", tc.author, tc.want, reply)
				}
				if !strings.Contains(reply.Body, "<details>") {
					t.Errorf("reply does not quote the command in a collapsed block")
				}
			})
		}
		if has(e.Sim.Issue(repo, f.mentees["olga"]).Labels, "checkin/week-1") {
			t.Error("a refused check-in was recorded")
		}
	})
}

func TestMentorChecksInForMentee(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		e.Sim.CommentAt("mentor-ben", repo, f.hub, strings.Replace(complete, "/checkin", "/checkin @olga", 1), week1)
		e.idle()
		if !has(e.Sim.Issue(repo, f.mentees["olga"]).Labels, "checkin/week-1") {
			t.Error("mentor's check-in for olga not recorded")
		}
		if !strings.Contains(e.Sim.Issue(repo, f.mentees["olga"]).Body, "given by mentor @mentor-ben") {
			t.Error("log does not say the mentor gave the update")
		}
	})
}

// thumbsUp counts the comments on issues the bot reacted 👍 to.
func thumbsUp(sim *ghsim.Sim, issues ...int) int {
	n := 0
	for _, is := range issues {
		for _, c := range sim.Comments(repo, is) {
			for _, r := range c.Reactions {
				if r.Content == "+1" && r.User == sim.BotLogin() {
					n++
					break
				}
			}
		}
	}
	return n
}

// holdPatches makes the sim hold each write of issue number's body until
// done holds (at most two minutes), so that a burst of check-ins is one
// burst however loaded the machine is: a test bounding the hub's writes
// then bounds the coalescing of renders, not how fast deliveries happen to
// be worked. It returns the release.
func (e *env) holdPatches(number int, done func() bool) func() {
	path := fmt.Sprintf("/repos/%s/issues/%d", repo, number)
	e.Sim.SetIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPatch && r.URL.Path == path {
			for deadline := time.Now().Add(2 * time.Minute); !done() && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
		}
		return false
	})
	return func() { e.Sim.SetIntercept(nil) }
}

func TestTenConcurrentCheckins(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		// The hub's writes wait until all ten check-ins are recorded (each
		// has its 👍), so that the ten are one burst however loaded the
		// machine is: what is bounded below is the coalescing of renders,
		// not how fast the deliveries happen to be worked.
		defer e.holdPatches(f.hub, func() bool { return thumbsUp(e.Sim, f.hub) == 10 })()
		e.Sim.ResetRequests()
		var wg sync.WaitGroup
		for _, m := range []string{"mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"} {
			wg.Add(1)
			go func(m string) {
				defer wg.Done()
				e.Sim.CommentAt(m, repo, f.hub, complete, week1)
			}(m)
		}
		// Two mentors add updates for two mentees too: ten check-ins in all.
		wg.Add(2)
		go func() {
			defer wg.Done()
			e.Sim.CommentAt("mentor-ann", repo, f.hub, strings.Replace(complete, "/checkin", "/checkin @mia", 1), week1)
		}()
		go func() {
			defer wg.Done()
			e.Sim.CommentAt("mentor-ben", repo, f.hub, strings.Replace(complete, "/checkin", "/checkin @olga", 1), week1)
		}()
		wg.Wait()
		e.idle()
		for m := range f.mentees {
			if row := e.boardRow(f.hub, m); !strings.HasPrefix(row, "| @"+m+" | ✅ |") {
				t.Errorf("board row %q", row)
			}
		}
		hubWrites := e.Sim.CountRequests("PATCH", fmt.Sprintf("/repos/%s/issues/%d", repo, f.hub))
		if hubWrites < 1 || hubWrites > 3 {
			t.Errorf("hub body written %d times for ten check-ins, want 1 to 3", hubWrites)
		}
	})
}
