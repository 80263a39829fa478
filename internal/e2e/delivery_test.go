package e2e

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// visible is what users see of the repository: issue bodies and labels,
// comments with their reactions (ids and timestamps left out).
func (e *env) visible() map[int][]string {
	out := map[int][]string{}
	for _, i := range e.Sim.Issues(repo) {
		labels := append([]string(nil), i.Labels...)
		sort.Strings(labels)
		s := []string{i.State, i.Body, strings.Join(labels, ",")}
		for _, c := range e.Sim.Comments(repo, i.Number) {
			s = append(s, c.User+": "+c.Body+" "+strings.Join(reactions(c), ","))
		}
		out[i.Number] = s
	}
	return out
}

// deliveryOf finds the delivery of a comment's event.
func (e *env) deliveryOf(commentID int64, action string) string {
	for _, d := range e.Sim.Deliveries() {
		if d.Event == "issue_comment" && gjson.GetBytes(d.Payload, "action").String() == action &&
			gjson.GetBytes(d.Payload, "comment.id").Int() == commentID {
			return d.ID
		}
	}
	e.t.Fatalf("no issue_comment.%s delivery for comment %d", action, commentID)
	return ""
}

// TestDeliveredAgain: GitHub redelivers a delivery under its id (the
// "Redeliver" button, or a retry after a timeout), or the same payload
// arrives under a new id (a second webhook, a replay). Neither may change
// what users see: one 👍, one reply, one log entry.
func TestDeliveredAgain(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		good := e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1)
		bad := e.Sim.CommentAt("noah", repo, f.mentees["noah"], "/checkin\nAccomplishments: read the guide", week1)
		away := e.Sim.CommentAt("rosa", repo, f.hub, "/away 2", week1)
		e.idle()
		before := e.visible()
		redeliver := func(id string) string { e.Sim.Redeliver(id); return id }
		tests := []struct {
			name    string
			comment int64
			resend  func(id string) string
			// sameID: a delivery id already stored is not processed at
			// all, so not even a read reaches GitHub.
			sameID bool
		}{
			{"check-in redelivered under its id", good.ID, redeliver, true},
			{"check-in under a new id", good.ID, e.Sim.Resend, false},
			{"incomplete check-in redelivered under its id", bad.ID, redeliver, true},
			{"incomplete check-in under a new id", bad.ID, e.Sim.Resend, false},
			{"command under a new id", away.ID, e.Sim.Resend, false},
		}
		for _, tc := range tests {
			e.t.Run(tc.name, func(t *testing.T) {
				w, calls := e.writes(), len(e.Sim.Requests())
				id := tc.resend(e.deliveryOf(tc.comment, "created"))
				e.idle()
				if st := lastStatus(e.Sim.Deliveries(), id); st >= 300 {
					t.Errorf("second delivery answered %d", st)
				}
				if d := cmp.Diff(before, e.visible()); d != "" {
					t.Errorf("the second delivery changed what users see (-before +after):\n%s", d)
				}
				if n := e.writes() - w; n > 0 {
					t.Errorf("%d writes to GitHub for a delivery already handled, want none", n)
				}
				if rs := e.Sim.Requests()[calls:]; tc.sameID && len(rs) > 0 {
					var list []string
					for _, r := range rs {
						list = append(list, r.Method+" "+r.Path)
					}
					t.Errorf("a redelivered id was processed again: %d calls to GitHub: %v", len(rs), list)
				}
			})
		}
	})
}

func lastStatus(ds []ghsim.Delivery, id string) int {
	st := 0
	for _, d := range ds {
		if d.ID == id {
			st = d.Status
		}
	}
	return st
}

// TestEditedBeforeCreated: GitHub does not promise order; the edit of a
// check-in may arrive before its creation. The stale `created` must not
// undo what the edit did.
func TestEditedBeforeCreated(t *testing.T) {
	tests := []struct {
		name, mentee, created, edited string
		wantLog, notLog               string
	}{
		{name: "incomplete made complete", mentee: "noah",
			created: "/checkin\nAccomplishments: read the contributor guide",
			edited:  "/checkin\nAccomplishments: read the contributor guide\nChallenges: none yet",
			wantLog: "none yet"},
		{name: "text replaced", mentee: "olga",
			created: complete, edited: strings.Replace(complete, "two PRs", "five PRs", 1),
			wantLog: "five PRs", notLog: "two PRs"},
	}
	start(t, func(e *env) {
		f := e.createCohort()
		e.clock.Set(week1)
		for _, tc := range tests {
			e.t.Run(tc.name, func(t *testing.T) {
				n := f.mentees[tc.mentee]
				c, created, edited := e.deliverLater(func() (*ghsim.Comment, string) {
					c := e.Sim.CommentAt(tc.mentee, repo, n, tc.created, week1)
					return c, e.Sim.EditComment(tc.mentee, repo, c.ID, tc.edited)
				})
				e.Sim.Redeliver(edited)
				e.idle()
				e.Sim.Redeliver(created)
				e.idle()
				got := e.Sim.Issue(repo, n)
				if !has(got.Labels, "checkin/week-1") {
					t.Errorf("check-in not recorded: labels %v", got.Labels)
				}
				if !strings.Contains(got.Body, tc.wantLog) || (tc.notLog != "" && strings.Contains(got.Body, tc.notLog)) {
					t.Errorf("log shows the stale text, want %q:\n%s", tc.wantLog, got.Body)
				}
				if r := reactions(e.comment(n, c.ID)); !cmp.Equal(r, []string{"+1"}) {
					t.Errorf("reactions %v, want only 👍", r)
				}
				for _, b := range e.botComments(n) {
					if strings.Contains(b.Body, "missing") {
						t.Errorf("a stale reply says the check-in is incomplete:\n%s", b.Body)
					}
				}
			})
		}
	})
}

// deliverLater runs act with deliveries going to a sink that acknowledges
// them, so the bot has not seen them; the caller redelivers them in the
// order it wants. It returns the comment and the two delivery ids.
func (e *env) deliverLater(act func() (*ghsim.Comment, string)) (*ghsim.Comment, string, string) {
	e.t.Helper()
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer sink.Close()
	e.Sim.WaitDeliveries()
	e.Sim.SetWebhook(sink.URL, "")
	c, edited := act()
	e.Sim.WaitDeliveries()
	e.Sim.SetWebhook(e.URL+"/api/github/hook", "")
	return c, e.deliveryOf(c.ID, "created"), edited
}
