package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
)

// refuse makes the simulated GitHub answer every request matching method
// and path with status and GitHub's error body, as GitHub refuses for good
// (the request does nothing). It counts the requests it answered.
type refuse struct {
	method string
	path   *regexp.Regexp
	status int
	body   string
	mu     sync.Mutex
	hits   int
}

func (f *refuse) intercept(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != f.method || !f.path.MatchString(r.URL.Path) {
		return false
	}
	f.mu.Lock()
	f.hits++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.status)
	fmt.Fprint(w, f.body)
	return true
}

func (f *refuse) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

// counter reads a counter of /metrics with the given labels (0 if absent).
func (e *env) counter(name string, labels map[string]string) float64 {
	mfs, err := e.Server.Metrics.Registry.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue metrics
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

const (
	validationFailed = `{"message":"Validation Failed","errors":[{"resource":"Reaction","code":"custom","field":"content","message":"content is not included in the list"}],"documentation_url":"https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue-comment","status":"422"}`
	notFound         = `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`
	gone             = `{"message":"This issue was deleted","documentation_url":"https://docs.github.com/rest","status":"410"}`
	bodyTooLong      = `{"message":"Validation Failed","errors":[{"resource":"Issue","code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)"}],"documentation_url":"https://docs.github.com/rest/issues/issues#update-an-issue","status":"422"}`
)

// A request GitHub refuses for good is sent once: the effect is recorded
// as failed (when it is one), counted in /metrics, the delivery's other
// effects are done and no job fails or is retried (SPEC §8). Without the
// fix the refused call fails the job, which River retries with backoff:
// the call is sent again and the jobs never settle.
func TestRefusalsForGoodAreNotRetried(t *testing.T) {
	reaction := regexp.MustCompile(`^/repos/kubernetes/community/issues/comments/\d+/reactions$`)
	tests := []struct {
		name   string
		method string
		path   func(f cohortFixture) *regexp.Regexp
		status int
		body   string
		// effect is the recorded effect the refused call was, if any.
		effect func(commentID int64) string
	}{
		{name: "422 on the 👍", method: "POST", path: func(cohortFixture) *regexp.Regexp { return reaction },
			status: 422, body: validationFailed, effect: reactKey},
		{name: "404 on the 👍: the comment was deleted meanwhile", method: "POST",
			path: func(cohortFixture) *regexp.Regexp { return reaction }, status: 404, body: notFound, effect: reactKey},
		{name: "410 on the 👍", method: "POST", path: func(cohortFixture) *regexp.Regexp { return reaction },
			status: 410, body: gone, effect: reactKey},
		{name: "422 on the hub's board: body too long", method: "PATCH", path: func(f cohortFixture) *regexp.Regexp {
			return regexp.MustCompile(`^/repos/kubernetes/community/issues/` + strconv.Itoa(f.hub) + `$`)
		}, status: 422, body: bodyTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start(t, func(e *env) {
				f := e.createCohort()
				e.clock.Set(week1)
				failed := e.jobsFailed()
				rf := &refuse{method: tc.method, path: tc.path(f), status: tc.status, body: tc.body}
				e.Sim.SetIntercept(rf.intercept)
				n := f.mentees["mia"]
				c := e.Sim.CommentAt("mia", repo, n, complete, week1)
				e.idle()
				e.Sim.SetIntercept(nil)

				if got := rf.count(); got != 1 {
					t.Errorf("the refused %s sent %d times, want once", tc.method, got)
				}
				status := strconv.Itoa(tc.status)
				if got := e.counter("cohortbot_github_refusals_total", map[string]string{"status": status}); got != 1 {
					t.Errorf("cohortbot_github_refusals_total{status=%q} = %v, want 1", status, got)
				}
				if d := e.jobsFailed() - failed; d != 0 {
					t.Errorf("%v job attempts failed (retried with backoff), want none", d)
				}
				// The delivery's other effects are done.
				if !has(e.Sim.Issue(repo, n).Labels, "checkin/week-1") {
					t.Errorf("labels %v lack checkin/week-1", e.Sim.Issue(repo, n).Labels)
				}
				if !strings.Contains(e.Sim.Issue(repo, n).Body, "reviewed two PRs in kubectl") {
					t.Error("mia's log lacks the check-in")
				}
				if tc.effect == nil {
					if got := reactions(e.comment(n, c.ID)); !has(got, "+1") {
						t.Errorf("reactions %v, want 👍", got)
					}
					return
				}
				if !strings.HasPrefix(e.boardRow(f.hub, "mia"), "| @mia | ✅ |") {
					t.Errorf("board row %q, want week 1 ✅", e.boardRow(f.hub, "mia"))
				}
				got, err := e.Server.Store.GetEffect(context.Background(), tc.effect(c.ID))
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(store.EffectFailed, got.State); d != "" || !strings.HasPrefix(got.Value, status+" ") {
					t.Errorf("effect %+v, want failed with GitHub's message (-want +got state):\n%s", got, d)
				}
			})
		})
	}
}

func reactKey(commentID int64) string { return fmt.Sprintf("react:%d:+1", commentID) }
