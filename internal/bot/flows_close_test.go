package bot_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// dayAfterEnd is the morning after the test cohort's end date (2027-03-21).
var dayAfterEnd = time.Date(2027, 3, 22, 9, 0, 0, 0, time.UTC)

// closedIssues is cohortIssues once the cohort closed: every issue closed
// and labelled cohort/completed instead of cohort/active, each mentee's
// issue with the outcome label (outcome/not-graduated unless outcomes says
// otherwise; withdrawn: closed as not planned) and the labels of extra.
func closedIssues(outcomes map[string]string, extra map[string][]string) []bottest.IssueView {
	out := cohortIssues()
	owner := map[int]string{}
	for h, n := range menteeIssue {
		owner[n] = h
	}
	for i := range out {
		is := &out[i]
		if is.State == "closed" {
			continue // the request
		}
		is.State, is.Reason = "closed", "completed"
		labels := slices.DeleteFunc(slices.Clone(is.Labels), func(l string) bool { return l == "cohort/active" })
		labels = append(labels, "cohort/completed")
		if h, ok := owner[is.Number]; ok {
			o := outcomes[h]
			if o == "" {
				o = "not-graduated"
			}
			if o == "withdrawn" {
				is.Reason = "not_planned"
			}
			labels = append(labels, "outcome/"+o)
			labels = append(labels, extra[h]...)
		}
		slices.Sort(labels)
		is.Labels = labels
	}
	return out
}

// each is extra labels for every mentee but those named.
func each(labels []string, but ...string) map[string][]string {
	out := map[string][]string{}
	for h := range menteeIssue {
		if !slices.Contains(but, h) {
			out[h] = labels
		}
	}
	return out
}

// with is extra with handle's labels set to labels.
func with(extra map[string][]string, handle string, labels ...string) map[string][]string {
	extra[handle] = labels
	return extra
}

// TestFlowCloseCohort closes the cohort (SPEC §6) with /close-cohort in
// week 2 and at the end date's tick, and compares the simulated GitHub:
// every issue closed with its outcome label and cohort/completed, one final
// report on the hub (golden), the weeks due settled, and no write at all
// from later ticks.
func TestFlowCloseCohort(t *testing.T) {
	missed := []string{"checkin/missed"}
	tests := []struct {
		name   string
		steps  func(w *bottest.World)
		issues []bottest.IssueView
	}{
		{name: "closed by an organizer", steps: func(w *bottest.World) {
			w.At(week2)
			w.Comment("mentor-ann", hubIssue, "/graduate @mia")
			w.Comment("pete", menteeIssue["pete"], "/withdraw")
			w.Comment("noah", menteeIssue["noah"], complete)
			c := w.Comment(bottest.Organizer, hubIssue, "/close-cohort")
			diff(w.T.(*testing.T), "reactions", []string{"+1"}, w.Reactions(c.ID))
		}, issues: withLabel(closedIssues(map[string]string{"mia": "graduated", "pete": "withdrawn"}, each(missed, "pete")),
			menteeIssue["noah"], "checkin/week-2")},
		{name: "closed at the end date", steps: func(w *bottest.World) {
			w.At(week1)
			w.Comment("mia", menteeIssue["mia"], complete)
			w.Comment("mentor-ben", hubIssue, "/graduate @olga")
			w.Tick(dayAfterEnd)
		}, issues: withLabel(closedIssues(map[string]string{"olga": "graduated"}, each([]string{"checkin/missed", "mentee/at-risk"})),
			menteeIssue["mia"], "checkin/week-1")},
		{name: "closed at the end date after a gap", steps: func(w *bottest.World) {
			w.Tick(week2) // week 1 settled
			w.At(dayAfterEnd.AddDate(0, 0, -3))
			w.Comment("noah", menteeIssue["noah"], complete) // week 10
			w.Tick(dayAfterEnd.AddDate(0, 0, 30))
		}, issues: withLabel(closedIssues(nil, with(each([]string{"checkin/missed", "mentee/at-risk"}),
			"noah", "mentee/at-risk")), menteeIssue["noah"], "checkin/week-10")}, // missed cleared by the last week's check-in
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			hubBefore := len(w.BotComments(hubIssue))
			tc.steps(w)
			diff(t, "issues", tc.issues, w.Issues())
			hub := w.BotComments(hubIssue)
			if len(hub) <= hubBefore {
				t.Fatal("no final report on the hub")
			}
			w.Golden(goldenName("flows/close", tc.name), hub[len(hub)-1], goldenUpdate())
			w.Golden(goldenName("flows/close", tc.name+" hub"), w.Plain(w.Sim.Issue(w.Repo, hubIssue).Body), goldenUpdate())
			for _, at := range []time.Time{dayAfterEnd, dayAfterEnd, dayAfterEnd.AddDate(0, 1, 0)} {
				writes := w.Writes()
				w.Tick(at)
				if n := w.Writes() - writes; n != 0 {
					t.Errorf("a tick at %s after the close made %d writes", at, n)
				}
			}
			diff(t, "comments on the hub after later ticks", hub, w.BotComments(hubIssue))
		})
	}
}

// TestFlowCloseCohortRefused: /close-cohort by anyone but an organizer, or
// away from the hub, is refused with a reply (golden) and changes nothing.
func TestFlowCloseCohortRefused(t *testing.T) {
	tests := []struct {
		name, author string
		issue        int
		body         string
	}{
		{name: "by a mentor", author: "mentor-ann", issue: hubIssue, body: "/close-cohort"},
		{name: "by a mentee", author: "mia", issue: hubIssue, body: "/close-cohort"},
		{name: "by a stranger", author: "randy", issue: hubIssue, body: "/close-cohort"},
		{name: "on a mentee issue", author: bottest.Organizer, issue: menteeIssue["mia"], body: "/close-cohort"},
		{name: "with words after it", author: bottest.Organizer, issue: hubIssue, body: "/close-cohort now"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := cohortWorld(t)
			w.Sim.AddUser("randy")
			before := w.Issues()
			w.At(week2)
			c := w.Comment(tc.author, tc.issue, tc.body)
			diff(t, "reactions", []string{"confused"}, w.Reactions(c.ID))
			diff(t, "issues", before, w.Issues())
			replies := w.BotComments(tc.issue)
			if len(replies) != 1 {
				t.Fatalf("replies %q, want one", replies)
			}
			w.Golden(goldenName("flows/close", "refused "+tc.name), replies[0], goldenUpdate())
		})
	}
}

// TestFlowCloseCohortTwice: a redelivered /close-cohort changes nothing
// and posts nothing; a new one on the closed cohort's hub is answered
// (golden) and changes nothing either.
func TestFlowCloseCohortTwice(t *testing.T) {
	w := cohortWorld(t)
	w.At(week2)
	c := w.Comment(bottest.Organizer, hubIssue, "/close-cohort")
	issues, hub, writes := w.Issues(), w.BotComments(hubIssue), w.Writes()
	w.Redeliver(c.ID)
	diff(t, "reactions after a redelivery", []string{"+1"}, w.Reactions(c.ID))
	diff(t, "issues after a redelivery", issues, w.Issues())
	diff(t, "hub comments after a redelivery", hub, w.BotComments(hubIssue))
	if n := w.Writes() - writes; n != 0 {
		t.Errorf("a redelivered /close-cohort made %d writes", n)
	}
	again := w.Comment(bottest.Organizer, hubIssue, "/close-cohort")
	diff(t, "issues after a second /close-cohort", issues, w.Issues())
	got := w.BotComments(hubIssue)
	if len(got) != len(hub)+1 {
		t.Fatalf("%d new hub comments after a second /close-cohort, want 1", len(got)-len(hub))
	}
	w.Golden("flows/close/closed-again", got[len(got)-1], goldenUpdate())
	diff(t, "reactions to the second /close-cohort", []string{"confused"}, w.Reactions(again.ID))
}
