package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/harness"
)

// Ladder progress (SPEC §10), end to end: requirements in the repo config,
// searches against the simulated GitHub's pull requests and reviews, the
// Ladder progress region, ladder/ready and its one comment, /progress.

const ladderConfig = `tracks:
  reviewer:
    requirements: {reviewed_prs: 2, merged_prs: 1}
    scope: [kubernetes/kubernetes]
`

// week1End is a moment after week 1's boundary (2027-01-17 24:00 UTC).
var week1End = time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC)

// ladderWork gives mia two reviews and a merged PR in kubernetes/kubernetes
// (her requirements met) and noah one review (not met).
func (e *env) ladderWork() {
	e.Sim.AddRepo(harness.InstallationID, "kubernetes/kubernetes", false)
	var prs []int
	for range 3 {
		prs = append(prs, e.Sim.OpenPR("mentor-cy", "kubernetes/kubernetes", "a change", "").Number)
	}
	e.Sim.SubmitReview("mia", "kubernetes/kubernetes", prs[0], "APPROVED")
	e.Sim.SubmitReview("mia", "kubernetes/kubernetes", prs[1], "COMMENTED")
	e.Sim.SubmitReview("noah", "kubernetes/kubernetes", prs[2], "APPROVED")
	own := e.Sim.OpenPR("mia", "kubernetes/kubernetes", "mia's fix", "").Number
	e.Sim.SubmitReview("mia", "kubernetes/kubernetes", own, "COMMENTED") // her own PR: not a review that counts
	e.Sim.ClosePR("mentor-cy", "kubernetes/kubernetes", own, true)
	e.idle()
}

// searches are the bot's search requests, by query, with their statuses.
func (e *env) searches() map[string][]int {
	out := map[string][]int{}
	for _, r := range e.Sim.Requests() {
		if r.Path == "/search/issues" {
			v, _ := url.ParseQuery(r.Query)
			out[v.Get("q")] = append(out[v.Get("q")], r.Status)
		}
	}
	return out
}

func (e *env) searchCount() int {
	n := 0
	for _, st := range e.searches() {
		n += len(st)
	}
	return n
}

func ladderRegion(body string) string {
	i := strings.Index(body, "<!-- cohortbot:begin ladder -->")
	j := strings.Index(body, "<!-- cohortbot:end ladder -->")
	if i < 0 || j < i {
		return ""
	}
	return body[i:j]
}

func TestLadderProgressMetAndNotMet(t *testing.T) {
	start(t, func(e *env) {
		e.Sim.PutFile(repo, ".github/cohortbot.yml", ladderConfig)
		f := e.createCohort()
		e.ladderWork()
		e.tick(week1End)
		mia := e.Sim.Issue(repo, f.mentees["mia"])
		r := ladderRegion(mia.Body)
		for _, want := range []string{"## Ladder progress", "toward **Reviewer** (in repo:kubernetes/kubernetes, all time)",
			"| PRs reviewed | 2 | 2 | ✅ | [search](" + e.Sim.URL() + "/search?type=pullrequests&q=is%3Apr+reviewed-by%3Amia+-author%3Amia+repo%3Akubernetes%2Fkubernetes) |",
			"| PRs merged | 1 | 1 | ✅ |"} {
			if !strings.Contains(r, want) {
				t.Errorf("mia's region lacks %q:\n%s", want, r)
			}
		}
		if !has(mia.Labels, "ladder/ready") {
			t.Errorf("mia's labels %v lack ladder/ready", mia.Labels)
		}
		cs := e.botComments(f.mentees["mia"])
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "@mentor-ann: @mia now meets every requirement") ||
			!strings.Contains(cs[0].Body, "`reviewers:` entry") || strings.Contains(cs[0].Body, "@mentor-ben") {
			t.Fatalf("ready comments on mia's issue: %+v", cs)
		}
		noah := e.Sim.Issue(repo, f.mentees["noah"])
		if r := ladderRegion(noah.Body); !strings.Contains(r, "| PRs reviewed | 1 | 2 | ⏳ |") || !strings.Contains(r, "| PRs merged | 0 | 1 | ⏳ |") {
			t.Errorf("noah's region:\n%s", r)
		}
		if has(noah.Labels, "ladder/ready") || len(e.botComments(f.mentees["noah"])) != 0 {
			t.Errorf("noah marked ready: %v", noah.Labels)
		}
		hub := e.Sim.Issue(repo, f.hub).Body
		if !strings.Contains(hub, "| @mia | @mentor-ann | #") || !strings.Contains(hub, "| reviewed 2/2 ✅ · merged 1/1 ✅ |") ||
			!strings.Contains(hub, "| reviewed 1/2 ⏳ · merged 0/1 ⏳ |") {
			t.Errorf("hub roster lacks the figures:\n%s", hub)
		}
		// 8 mentees × 2 requirements, each searched once.
		if n := e.searchCount(); n != 16 {
			t.Errorf("%d searches, want 16: %v", n, e.searches())
		}
		// Next week's sweep, a /progress and a redelivery of it: still one
		// ready comment, the label left on.
		e.tick(week1End.AddDate(0, 0, 7))
		c := e.Sim.CommentAt("mia", repo, f.mentees["mia"], "/progress", week1End.AddDate(0, 0, 7))
		e.idle()
		e.Sim.Redeliver(e.lastDelivery(c.ID))
		e.idle()
		if n := len(e.readyComments(f.mentees["mia"])); n != 1 {
			t.Errorf("%d ready comments after later sweeps, want 1", n)
		}
		if !has(e.Sim.Issue(repo, f.mentees["mia"]).Labels, "ladder/ready") {
			t.Error("ladder/ready gone after a later sweep")
		}
		// The organizers raise the bar: the drop removes the label,
		// silently; met again later, the label returns without a second
		// comment.
		e.Sim.PutFile(repo, ".github/cohortbot.yml", strings.Replace(ladderConfig, "reviewed_prs: 2", "reviewed_prs: 3", 1))
		e.command("mentor-ann", f.hub, "/progress @mia", week1End.AddDate(0, 0, 7).Add(time.Hour))
		mia = e.Sim.Issue(repo, f.mentees["mia"])
		if has(mia.Labels, "ladder/ready") || !strings.Contains(ladderRegion(mia.Body), "| PRs reviewed | 2 | 3 | ⏳ |") {
			t.Errorf("after the drop: labels %v, region\n%s", mia.Labels, ladderRegion(mia.Body))
		}
		pr := e.Sim.OpenPR("mentor-cy", "kubernetes/kubernetes", "another", "").Number
		e.Sim.SubmitReview("mia", "kubernetes/kubernetes", pr, "APPROVED")
		e.idle()
		e.tick(week1End.AddDate(0, 0, 14))
		if !has(e.Sim.Issue(repo, f.mentees["mia"]).Labels, "ladder/ready") || len(e.readyComments(f.mentees["mia"])) != 1 {
			t.Errorf("met again: labels %v, %d ready comments (want the label back, still one comment)",
				e.Sim.Issue(repo, f.mentees["mia"]).Labels, len(e.readyComments(f.mentees["mia"])))
		}
	})
}

func (e *env) readyComments(n int) []*ghsim.Comment {
	var out []*ghsim.Comment
	for _, c := range e.botComments(n) {
		if strings.Contains(c.Body, "cohortbot:ladder-ready") {
			out = append(out, c)
		}
	}
	return out
}

// lastDelivery is the id of the delivery of comment id's creation.
func (e *env) lastDelivery(commentID int64) string {
	e.t.Helper()
	for _, d := range e.Sim.Deliveries() {
		if d.Event == "issue_comment" && gjson.GetBytes(d.Payload, "comment.id").Int() == commentID {
			return d.ID
		}
	}
	e.t.Fatalf("no delivery of comment %d", commentID)
	return ""
}

// The search API allows 5 searches a minute here: the boundary's sweep of
// 8 mentees stops after 5 (X-RateLimit-Remaining: 0 is honoured: no 6th is
// sent). The server restarts; the new process, knowing nothing of the
// window, tries once, gets GitHub's 403 with Retry-After and waits. Once
// the minute is over the sweep resumes where it stopped — the 3 mentees
// left, each searched once — from the database, without another tick.
func TestLadderSearchLimitResumesAfterRestart(t *testing.T) {
	start(t, func(e *env) {
		f := e.createCohort() // default Reviewer requirement: reviewed_prs 20
		e.Sim.SetSearchLimit(5)
		e.clock.Set(week1End)
		if _, err := e.Server.Deps.Tick(context.Background(), week1End); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "5 searches", func() bool { return e.statuses()[200] >= 5 })
		waitFor(t, 20*time.Second, "5 regions", func() bool { return e.regions(f) == 5 })
		if st := e.statuses(); st[200] != 5 || st[403] != 0 {
			t.Fatalf("before the restart: %v, want 5 answered and none refused (the pacer read Remaining: 0)", st)
		}
		if err := e.Restart(context.Background()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "the new process's refused search", func() bool { return e.statuses()[403] >= 1 })
		if st := e.statuses(); st[403] != 1 || st[200] != 5 {
			t.Fatalf("after the restart: %v, want one refused (then the pause honoured)", st)
		}
		// While the search limit lasts, check-ins and commands go on (the
		// 403 paused searches only, not the installation).
		c := e.Sim.CommentAt("mia", repo, f.mentees["mia"], complete, week1End)
		waitFor(t, 10*time.Second, "the check-in's 👍 during the search limit", func() bool {
			return has(reactions(e.comment(f.mentees["mia"], c.ID)), "+1")
		})
		e.clock.Set(week1End.Add(61 * time.Second))
		waitFor(t, 30*time.Second, "every mentee's region", func() bool { return e.regions(f) == 8 })
		for q, sts := range e.searches() {
			answered := 0
			for _, st := range sts {
				if st == 200 {
					answered++
				}
			}
			if answered != 1 {
				t.Errorf("%s answered %d times (statuses %v), want once", q, answered, sts)
			}
		}
		if st, n := e.statuses(), len(e.searches()); st[200] != 8 || st[403] != 1 || n != 8 {
			t.Errorf("searches %v over %d queries, want 8 answered, 1 refused, 8 queries", st, n)
		}
		e.idle()
	})
}

// statuses counts the search answers by status.
func (e *env) statuses() map[int]int {
	out := map[int]int{}
	for _, sts := range e.searches() {
		for _, st := range sts {
			out[st]++
		}
	}
	return out
}

// regions counts the mentee issues showing their measured progress.
func (e *env) regions(f cohortFixture) int {
	n := 0
	for _, i := range f.mentees {
		if strings.Contains(ladderRegion(e.Sim.Issue(repo, i).Body), "| PRs reviewed | 0 | 20 | ⏳ |") {
			n++
		}
	}
	return n
}
