package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// SPEC §13: tasks that stall. The task is handed out at week1 (mentor-ann's
// label, to mia); the default config reminds after 7 days without activity
// by the assignee and releases after 14.

// day0 is when the stall tests hand out their task.
var day0 = week1

func afterDays(n float64) time.Time { return day0.Add(time.Duration(n * float64(24*time.Hour))) }

// reminders returns the bot's stall reminders on task n of kubectl.
func (e *env) reminders(n int) []string {
	var out []string
	for _, c := range e.botSaid(kubectl, n) {
		if strings.Contains(c.Body, "cohortbot:task-remind") {
			out = append(out, c.Body)
		}
	}
	return out
}

// stallTask creates the cohort and a PR task for mia at day0.
func (e *env) stallTask() (cohortFixture, int) {
	e.t.Helper()
	f := e.createCohort()
	e.taskRepo()
	e.clock.Set(day0)
	n := e.labelPR("mentor-ann", "Fix kubectl get -o wide")
	e.idle()
	if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"mia"}) {
		e.t.Fatalf("requested reviewers %v, want mia", got)
	}
	return f, n
}

// concurrentTicks runs two scheduler passes at once as of at.
func (e *env) concurrentTicks(at time.Time) {
	e.t.Helper()
	e.clock.Set(at)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.Server.Deps.Tick(context.Background(), at)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			e.t.Fatal(err)
		}
	}
	e.idle()
}

func TestStalledTaskRemindedOnceThenReleasedToTheNextMentee(t *testing.T) {
	start(t, func(e *env) {
		f, n := e.stallTask()
		e.tick(afterDays(6.9))
		if r := e.reminders(n); len(r) != 0 {
			t.Fatalf("reminded before 7 days: %q", r)
		}
		e.concurrentTicks(afterDays(7))
		e.tick(afterDays(7.5))
		r := e.reminders(n)
		if len(r) != 1 {
			t.Fatalf("%d reminders after 7 days and three ticks, want 1", len(r))
		}
		for _, want := range []string{"@mia: this mentoring task (cohort SIG Apps reviewers 2027) has seen no review, comment or commit from you for 7 days",
			"goes to the next mentee on 2027-01-26 (after 14 days without activity)"} {
			if !strings.Contains(r[0], want) {
				t.Errorf("reminder lacks %q:\n%s", want, r[0])
			}
		}

		e.concurrentTicks(afterDays(14))
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"noah"}) {
			t.Errorf("requested reviewers after the release %v, want noah (mentor-ann's other paired mentee)", got)
		}
		said := e.botSaid(kubectl, n)
		if !strings.Contains(said[0].Body, "Mentoring task for @noah") {
			t.Errorf("task comment not handed to noah:\n%s", said[0].Body)
		}
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(n)); !strings.Contains(l, "🔄 open · released after 14 days by @mia") || !strings.Contains(l, "@noah") {
			t.Errorf("hub task line %q", l)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["mia"]).Body, ref(n)); !strings.Contains(l, "↩️ released · released after 14 days") {
			t.Errorf("mia's task line %q", l)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["noah"]).Body, ref(n)); !strings.Contains(l, "🔄 open") {
			t.Errorf("noah's task line %q", l)
		}

		// Nothing more: later ticks, a redelivered label event.
		before := e.writes()
		e.tick(afterDays(14.5))
		for _, d := range e.Sim.Deliveries() {
			if d.Event == "pull_request" && d.Action == "labeled" {
				e.Sim.Resend(d.ID)
			}
		}
		e.idle()
		if w := e.writes() - before; w != 0 {
			t.Errorf("%d writes after the release was done", w)
		}
		if got := e.Sim.CountRequests("POST", "/repos/{o}/{r}/pulls/{n}/requested_reviewers"); got != 2 {
			t.Errorf("%d review requests in all, want 2 (mia, then noah)", got)
		}
		if got := e.Sim.CountRequests("DELETE", "/repos/{o}/{r}/pulls/{n}/requested_reviewers"); got != 1 {
			t.Errorf("%d review requests withdrawn, want 1 (mia's)", got)
		}
		// Noah's round has its own clock: reminded 7 days after his hand-out.
		e.tick(afterDays(21))
		if r := e.reminders(n); len(r) != 2 || !strings.HasPrefix(r[1], "@noah:") {
			t.Errorf("reminders after noah's 7 days: %q", r)
		}
	})
}

func TestActivityByTheAssigneeRestartsTheStallClock(t *testing.T) {
	start(t, func(e *env) {
		_, n := e.stallTask()
		e.clock.Set(afterDays(3))
		e.Sim.Comment("noah", kubectl, n, "Mia, need a hand?") // not the assignee: no activity
		e.clock.Set(afterDays(5))
		e.Sim.Comment("mia", kubectl, n, "Looking at it this week.")
		e.idle()
		e.tick(afterDays(7))
		if r := e.reminders(n); len(r) != 0 {
			t.Fatalf("reminded 2 days after mia's comment: %q", r)
		}
		e.tick(afterDays(12))
		if r := e.reminders(n); len(r) != 1 || !strings.Contains(r[0], "on 2027-01-31") {
			t.Fatalf("want one reminder 7 days after mia's comment, releasing 14 days after it; got %q", r)
		}
		// A redelivered old comment does not move the clock; a push does.
		for _, d := range e.Sim.Deliveries() {
			if d.Event == "issue_comment" {
				e.Sim.Resend(d.ID)
			}
		}
		e.clock.Set(afterDays(13))
		e.Sim.PushCommits("mia", kubectl, n)
		e.idle()
		e.tick(afterDays(19)) // 14 days after the comment
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"mia"}) {
			t.Errorf("released despite mia's push: reviewers %v", got)
		}
		e.tick(afterDays(20)) // 7 days after the push: the new stall's reminder
		if r := e.reminders(n); len(r) != 2 {
			t.Errorf("%d reminders, want 2 (one per stall)", len(r))
		}
		e.tick(afterDays(27))
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"noah"}) {
			t.Errorf("reviewers 14 days after the push %v, want noah", got)
		}
	})
}

// TestStalledReleaseResumesAfterAFailure breaks the release half-way (GitHub
// failing the new review request after mia's was withdrawn and noah
// recorded) and checks the next tick finishes it without doing anything
// twice.
func TestStalledReleaseResumesAfterAFailure(t *testing.T) {
	start(t, func(e *env) {
		_, n := e.stallTask()
		e.tick(afterDays(7))
		path := fmt.Sprintf("/repos/%s/pulls/%d/requested_reviewers", kubectl, n)
		e.failWhere(func(r *http.Request, _ string) bool { return r.Method == "POST" && r.URL.Path == path })
		e.tickFails(afterDays(14))
		if got := e.Sim.RequestedReviewers(kubectl, n); len(got) != 0 {
			t.Fatalf("the failure did not interrupt the release: reviewers %v", got)
		}
		e.Sim.SetIntercept(nil)
		e.tick(afterDays(14.1))
		e.tick(afterDays(14.2))
		if got := e.Sim.RequestedReviewers(kubectl, n); !cmp.Equal(got, []string{"noah"}) {
			t.Errorf("reviewers after the resumed release %v, want noah", got)
		}
		if got := e.Sim.CountRequests("DELETE", "/repos/{o}/{r}/pulls/{n}/requested_reviewers"); got != 1 {
			t.Errorf("mia's review request withdrawn %d times, want 1", got)
		}
		if r := e.reminders(n); len(r) != 1 {
			t.Errorf("%d reminders, want 1", len(r))
		}
		if said := e.botSaid(kubectl, n); !strings.Contains(said[0].Body, "Mentoring task for @noah") {
			t.Errorf("task comment %q", said[0].Body)
		}
	})
}

func TestMaxOpenTasksPerMentee(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		e.Sim.PutFile(repo, ".github/cohortbot.yml", "tasks:\n  max_open_per_mentee: 1\n")
		e.clock.Set(day0)
		var got []string
		var prs []int
		for i := range allMentees {
			n := e.labelPR("mentor-ann", fmt.Sprintf("PR %d", i))
			e.idle()
			prs = append(prs, n)
			got = append(got, e.Sim.RequestedReviewers(kubectl, n)...)
		}
		// mentor-ann's paired mentees first, then the others in roster order.
		want := []string{"mia", "noah", "olga", "pete", "quinn", "rosa", "sam", "tess"}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("assignments with one task each (-want +got):\n%s", d)
		}
		full := e.labelPR("mentor-ann", "One too many")
		e.idle()
		for _, d := range e.Sim.Deliveries() {
			if d.Event == "pull_request" && d.Action == "labeled" {
				e.Sim.Resend(d.ID)
			}
		}
		e.idle()
		said := e.botSaid(kubectl, full)
		if len(said) != 1 || !strings.Contains(said[0].Body, "@mentor-ann: every mentee of the cohort who could take this pull request already holds 1 open tasks (`tasks.max_open_per_mentee`), so nothing was recorded") {
			t.Fatalf("want one comment saying every mentee is full, got %+v", said)
		}
		if rv := e.Sim.RequestedReviewers(kubectl, full); len(rv) != 0 || has(e.Sim.Issue(kubectl, full).Labels, "mentoring/task") {
			t.Errorf("a full cohort still took the task: reviewers %v, labels %v", rv, e.Sim.Issue(kubectl, full).Labels)
		}
		if l := taskLine(e.Sim.Issue(repo, f.hub).Body, ref(full)); l != "" {
			t.Errorf("the hub lists the refused task: %q", l)
		}
		// /pass finds everyone full too: the task stays with mia.
		c := e.Sim.Comment("mia", kubectl, prs[0], "/pass")
		e.idle()
		if r := e.repliesTo(kubectl, prs[0], c); len(r) != 1 || !strings.Contains(r[0], "already holds 1 open tasks (`tasks.max_open_per_mentee`), so it stays with you") {
			t.Errorf("replies to /pass %q", r)
		}
		if rv := e.Sim.RequestedReviewers(kubectl, prs[0]); !cmp.Equal(rv, []string{"mia"}) {
			t.Errorf("reviewers after a refused /pass %v", rv)
		}
		// A task finished frees a slot: the next label goes to that mentee.
		e.Sim.SubmitReview("quinn", kubectl, prs[4], "APPROVED")
		e.idle()
		again := e.labelPR("mentor-ann", "Now there is room")
		e.idle()
		if rv := e.Sim.RequestedReviewers(kubectl, again); !cmp.Equal(rv, []string{"quinn"}) {
			t.Errorf("reviewers once quinn finished %v, want quinn", rv)
		}
	})
}

// An issue task that stalls moves its assignee: the bot's assignment of the
// stalled mentee is withdrawn and the next mentee assigned.
func TestStalledIssueTaskChangesAssignee(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort()
		e.taskRepo()
		e.clock.Set(day0)
		is := e.Sim.OpenIssue(contributor, kubectl, "Docs: explain --dry-run", "…")
		e.Sim.AddLabel("mentor-ben", kubectl, is.Number, "good-first-review")
		e.idle()
		if got := e.Sim.Issue(kubectl, is.Number).Assignees; !cmp.Equal(got, []string{"olga"}) {
			t.Fatalf("assignees %v, want olga", got)
		}
		e.clock.Set(afterDays(2))
		e.Sim.Comment("olga", kubectl, is.Number, "I will start on Friday.")
		e.idle()
		e.tick(afterDays(15)) // 13 days after olga's comment: reminded, not released
		if got := e.Sim.Issue(kubectl, is.Number).Assignees; !cmp.Equal(got, []string{"olga"}) {
			t.Errorf("released 13 days after olga's comment: assignees %v", got)
		}
		if r := e.reminders(is.Number); len(r) != 1 || !strings.HasPrefix(r[0], "@olga:") {
			t.Errorf("reminders %q", r)
		}
		e.tick(afterDays(16))
		if got := e.Sim.Issue(kubectl, is.Number).Assignees; !cmp.Equal(got, []string{"mia"}) {
			t.Errorf("assignees after the release %v, want mia (mentor-ben has no other paired mentee)", got)
		}
		if l := taskLine(e.Sim.Issue(repo, f.mentees["olga"]).Body, ref(is.Number)); !strings.Contains(l, "↩️ released · released after 14 days") {
			t.Errorf("olga's task line %q", l)
		}
	})
}
