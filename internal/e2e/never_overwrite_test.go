package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// TestHumanLabelChangesDuringCheckinSurvive: a mentor adds one label to
// mia's issue and removes another at each moment of the bot's handling of
// her check-in — as its 👍 is sent (after the webhook left GitHub), as it
// reads her issue, as it writes her log, as it adds checkin/week-1. The bot
// adds and removes single labels and never sends a label set, so both
// changes stay in every case (SPEC §3 "Never overwrite people").
func TestHumanLabelChangesDuringCheckinSurvive(t *testing.T) {
	tests := []struct {
		name   string
		method string
		suffix func(mia int) string
	}{
		{"as the 👍 is sent", http.MethodPost, func(int) string { return "/reactions" }},
		{"as the issue is read", http.MethodGet, issuePath},
		{"as the log is written", http.MethodPatch, issuePath},
		{"as the week label is added", http.MethodPost, func(mia int) string { return issuePath(mia) + "/labels" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start(t, func(e *env) {
				f := e.createCohort()
				mia := f.mentees["mia"]
				e.Sim.AddLabel("mentor-ann", repo, mia, "area/kubectl")
				e.idle()
				e.clock.Set(week1)
				change := func() {
					e.Sim.AddLabel("mentor-ann", repo, mia, "sig/cli")
					e.Sim.RemoveLabel("mentor-ann", repo, mia, "area/kubectl")
				}
				e.atMoment(tt.method, tt.suffix(mia), change)
				e.Sim.CommentAt("mia", repo, mia, complete, week1)
				e.idle()
				labels := e.Sim.Issue(repo, mia).Labels
				if !has(labels, "sig/cli") || has(labels, "area/kubectl") || !has(labels, "checkin/week-1") {
					t.Errorf("labels %v; want sig/cli and checkin/week-1, not area/kubectl", labels)
				}
				if !strings.Contains(e.Sim.Issue(repo, mia).Body, "reviewed two PRs in kubectl") {
					t.Error("the check-in's log is missing")
				}
			})
		})
	}
}

// atMoment makes fn run once, as the simulated GitHub receives the first
// request with method whose path ends in suffix, before it answers it: a
// person's change landing exactly then, deterministically.
func (e *env) atMoment(method, suffix string, fn func()) {
	var once sync.Once
	e.Sim.SetIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
			once.Do(fn)
		}
		return false
	})
	e.t.Cleanup(func() { e.Sim.SetIntercept(nil) })
}

// TestHumanEditBeforeCheckinWriteIsKept: mia edits her tracking issue after
// her check-in's webhook left GitHub, before the bot writes her log (as
// its 👍 is sent, or as it reads her issue). The webhook's copy of the issue
// lacks her edit; the bot writes from the issue as read just before its
// write, so her text stays, with one write of her issue and no repair.
func TestHumanEditBeforeCheckinWriteIsKept(t *testing.T) {
	tests := []struct {
		name   string
		method string
		suffix func(mia int) string
	}{
		{"as the 👍 is sent", http.MethodPost, func(int) string { return "/reactions" }},
		{"as the issue is read", http.MethodGet, issuePath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start(t, func(e *env) {
				f := e.createCohort()
				e.clock.Set(week1)
				mia := f.mentees["mia"]
				goals := "## My goals\n\nLand my first approve in sig-cli."
				e.atMoment(tt.method, tt.suffix(mia), func() {
					e.Sim.EditIssueBody("mia", repo, mia, goals+"\n\n"+e.Sim.Issue(repo, mia).Body)
				})
				e.Sim.ResetRequests()
				e.Sim.CommentAt("mia", repo, mia, complete, week1)
				e.idle()
				body := e.Sim.Issue(repo, mia).Body
				if !strings.Contains(body, goals) {
					t.Errorf("mia's edit was lost:\n%s", body)
				}
				if !strings.Contains(body, "reviewed two PRs in kubectl") {
					t.Errorf("the check-in's log is missing:\n%s", body)
				}
				if n := e.countExact("PATCH", issuePath(mia)); n != 1 {
					t.Errorf("%d writes of mia's issue, want 1", n)
				}
			})
		})
	}
}

// TestMissedLabelRemovedMeanwhileIsDone: mia missed week 1; her mentor
// takes checkin/missed off her issue at the very moment the bot, recording
// her week-2 check-in, removes it too. GitHub answers the bot's removal
// with a 404, which counts as done: the check-in completes, nothing fails
// or is retried.
func TestMissedLabelRemovedMeanwhileIsDone(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		mia := f.mentees["mia"]
		e.tick(time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC)) // week 1 ended: mia missed it
		if !has(e.Sim.Issue(repo, mia).Labels, "checkin/missed") {
			t.Fatalf("mia's labels %v, want checkin/missed", e.Sim.Issue(repo, mia).Labels)
		}
		week2 := time.Date(2027, 1, 20, 10, 0, 0, 0, time.UTC)
		e.clock.Set(week2)
		e.atMoment(http.MethodDelete, "/labels/checkin/missed", func() {
			e.Sim.RemoveLabel("mentor-ann", repo, mia, "checkin/missed")
		})
		failed := e.jobsFailed()
		e.Sim.ResetRequests()
		c := e.Sim.CommentAt("mia", repo, mia, complete, week2)
		e.idle()
		if l := e.Sim.Issue(repo, mia).Labels; has(l, "checkin/missed") || !has(l, "checkin/week-2") {
			t.Errorf("labels %v; want checkin/week-2, not checkin/missed", l)
		}
		if got := reactions(e.comment(mia, c.ID)); !has(got, "+1") {
			t.Errorf("reactions %v, want 👍", got)
		}
		var deletes []int
		for _, r := range e.Sim.Requests() {
			if r.Method == http.MethodDelete && strings.HasSuffix(r.Path, "/labels/checkin/missed") {
				deletes = append(deletes, r.Status)
			}
		}
		if diff := cmp.Diff([]int{http.StatusNotFound}, deletes); diff != "" {
			t.Errorf("removals of checkin/missed (-want +got statuses):\n%s", diff)
		}
		if n := e.jobsFailed() - failed; n != 0 {
			t.Errorf("%v job attempts failed", n)
		}
	})
}

func issuePath(n int) string { return fmt.Sprintf("/repos/%s/issues/%d", repo, n) }

// TestStoryNeverReplacesLabelSets: over a whole cohort's life — the
// request, check-ins, an edited check-in, /away, reminders, a week boundary
// with missed labels, check-ins that clear them, /close-cohort — the bot
// never replaces an issue's label set: no PUT …/labels, no DELETE of all
// labels, no issue update carrying labels. Only a new issue names its labels.
func TestStoryNeverReplacesLabelSets(t *testing.T) {
	start(t, func(e *env) {
		e.wholeCohort()
		var bad []string
		singles := 0
		for _, r := range e.Sim.Requests() {
			if why := replacesLabels(r); why != "" {
				bad = append(bad, fmt.Sprintf("%s %s: %s", r.Method, r.Path, why))
			}
			if strings.Contains(r.Path, "/labels") && (r.Method == http.MethodPost || r.Method == http.MethodDelete) {
				singles++
			}
		}
		if diff := cmp.Diff([]string(nil), bad); diff != "" {
			t.Errorf("requests that replace a label set (-want +got):\n%s", diff)
		}
		if singles == 0 {
			t.Error("no label was added or removed at all: the story did not run")
		}
	})
}

// replacesLabels says why a recorded request would replace an issue's
// labels ("" when it does not).
func replacesLabels(r ghsim.Request) string {
	parts := strings.Split(strings.Trim(r.Path, "/"), "/")
	isIssue := len(parts) == 5 && parts[0] == "repos" && parts[3] == "issues" && strings.Trim(parts[4], "0123456789") == ""
	isIssueLabels := len(parts) == 6 && parts[0] == "repos" && parts[3] == "issues" && parts[5] == "labels"
	switch {
	case isIssueLabels && r.Method == http.MethodPut:
		return "sets the whole label set"
	case isIssueLabels && r.Method == http.MethodDelete:
		return "removes every label"
	case isIssue && r.Method == http.MethodPatch:
		var body map[string]json.RawMessage
		if json.Unmarshal(r.Body, &body) == nil {
			if _, ok := body["labels"]; ok {
				return "an issue update carrying labels: " + string(r.Body)
			}
		}
	}
	return ""
}
