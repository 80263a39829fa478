package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

const (
	firstInstallation = 5000
	organizer         = "olivia"
	contributor       = "casey-contributor"
	webhookSecret     = "bench-webhook-secret"
	maxMentees        = 10 // the default max_mentees: a burst of ten is one cohort's whole roster

	checkinBody = "/checkin\nAccomplishments: reviewed two PRs in kubectl\n" +
		"Challenges: finding time | juggling work\nNext steps: shadow a release"
)

// mentors mentor every cohort: one per three mentees, as the default rules ask.
var mentors = []string{"mentor-ann", "mentor-ben", "mentor-cy", "mentor-dee"}

// world is the simulated GitHub with the bench's cohorts on it, and the
// watch for the bot's 👍 reactions. Each cohort runs in an organization of
// its own, with its own App installation: the load of the check-in phases
// is many installations' worth, and one installation's hourly quota of
// 5,000 GitHub requests (which the simulated GitHub enforces) would stop
// its processing after some 600 check-ins.
type world struct {
	sim     *ghsim.Sim
	cohorts []benchCohort
	// waiters maps a comment id to the channel told when the bot reacts to it.
	waiters sync.Map
}

// benchCohort is one cohort created through the real request flow.
type benchCohort struct {
	name    string
	repo    string // its organization's mentoring repository
	hub     int
	mentees []mentee
}

// mentee is a mentee handle and its tracking issue.
type mentee struct {
	handle string
	repo   string
	issue  int
}

// newWorld starts the simulated GitHub with the cohorts' organizations,
// mentoring repositories and people.
func newWorld(cohorts, mentees int) *world {
	w := &world{sim: ghsim.New(ghsim.Options{})}
	for k := 0; k < cohorts; k++ {
		c := benchCohort{name: fmt.Sprintf("Bench cohort %d", k+1), repo: fmt.Sprintf("bench-org-%d/community", k+1)}
		w.sim.AddInstallation(int64(firstInstallation+k), fmt.Sprintf("bench-org-%d", k+1))
		w.sim.AddRepo(int64(firstInstallation+k), c.repo, false)
		w.sim.SetPermission(c.repo, organizer, "write")
		for _, u := range append(mentors, contributor) {
			w.sim.SetPermission(c.repo, u, "read")
		}
		for j := 0; j < mentees; j++ {
			h := fmt.Sprintf("bench%d-m%02d", k+1, j+1)
			w.sim.SetPermission(c.repo, h, "read")
			c.mentees = append(c.mentees, mentee{handle: h, repo: c.repo})
		}
		w.cohorts = append(w.cohorts, c)
	}
	w.sim.SetIntercept(w.intercept)
	return w
}

// requestBody renders cohort c's request as GitHub renders the issue form:
// starting today, with today as check-in day, so week 1 is a whole week
// from today and nothing falls due while the benchmark runs.
func (c benchCohort) requestBody(now time.Time) string {
	start := cohort.DateOf(now.UTC())
	var handles []string
	for _, m := range c.mentees {
		handles = append(handles, "@"+m.handle)
	}
	fields := []string{
		"Cohort name", c.name,
		"Ladder step", "Reviewer",
		"SIGs or areas", "SIG Apps",
		"Mentors", "@" + strings.Join(mentors, "\n@"),
		"Mentees", strings.Join(handles, "\n"),
		"Start date", start.String(),
		"End date", start.AddDays(7*10 - 1).String(),
		"Check-in day", now.UTC().Weekday().String(),
		"Time zone", "UTC",
		"Chat channel", "#bench",
		"Notes", "_No response_",
	}
	return cohort.Submission(fields...)
}

// openRequests files every cohort's request; the simulated GitHub delivers
// them to the server, which creates the hubs and mentee issues.
func (w *world) openRequests(now time.Time) {
	for _, c := range w.cohorts {
		w.sim.OpenIssue(organizer, c.repo, "New cohort: "+c.name, c.requestBody(now), "cohort/request")
	}
}

// discover finds the issues the server created: each cohort's hub and each
// mentee's tracking issue (labelled cohort/mentee, assigned to the mentee).
func (w *world) discover() error {
	for k := range w.cohorts {
		c := &w.cohorts[k]
		issueOf := map[string]int{}
		for _, is := range w.sim.Issues(c.repo) {
			for _, l := range is.Labels {
				switch {
				case l == "cohort/hub":
					c.hub = is.Number
				case l == "cohort/mentee" && len(is.Assignees) == 1:
					issueOf[strings.ToLower(is.Assignees[0])] = is.Number
				}
			}
		}
		for j := range c.mentees {
			m := &c.mentees[j]
			if m.issue = issueOf[m.handle]; m.issue == 0 || c.hub == 0 {
				return fmt.Errorf("the server did not create cohort %q in %s%s", c.name, c.repo, w.botSaid(c.repo))
			}
		}
	}
	return nil
}

// botSaid quotes the bot's last comment on a repository's request issue,
// which says why the request did not become a cohort.
func (w *world) botSaid(repo string) string {
	cs := w.sim.Comments(repo, 1)
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].User == w.sim.BotLogin() {
			return "; the bot said: " + cs[i].Body
		}
	}
	return ""
}

// checkin is one check-in comment on the simulated GitHub and its delivery.
type checkin struct {
	commentID int64
	d         delivery
}

// checkins makes a check-in comment by each mentee, in order, and returns
// their deliveries as the simulated GitHub recorded them.
func (w *world) checkins(ms []mentee) ([]checkin, error) {
	want := map[int64]int{}
	for i, m := range ms {
		c := w.sim.Comment(m.handle, m.repo, m.issue, checkinBody)
		want[c.ID] = i
	}
	out := make([]checkin, len(ms))
	found := 0
	for _, d := range w.sim.Deliveries() {
		if d.Event != "issue_comment" {
			continue
		}
		id := gjson.GetBytes(d.Payload, "comment.id").Int()
		if i, ok := want[id]; ok {
			out[i] = checkin{commentID: id, d: newDelivery(d.Event, d.ID, d.Payload)}
			found++
		}
	}
	if found != len(ms) {
		return nil, fmt.Errorf("found %d of %d check-in deliveries on the simulated GitHub", found, len(ms))
	}
	return out, nil
}

// watch returns a channel told when the bot reacts to comment id.
func (w *world) watch(id int64) <-chan time.Time {
	ch := make(chan time.Time, 1)
	w.waiters.Store(id, ch)
	return ch
}

// intercept notes the bot's 👍 on a watched comment as it reaches the
// simulated GitHub, and lets every request through.
func (w *world) intercept(_ http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/reactions") {
		return false
	}
	at := time.Now()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	id, err := strconv.ParseInt(parts[len(parts)-2], 10, 64)
	if err != nil {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	if !bytes.Contains(body, []byte(`"+1"`)) {
		return false
	}
	if ch, ok := w.waiters.LoadAndDelete(id); ok {
		ch.(chan time.Time) <- at
	}
	return false
}

// irrelevant builds one real-shaped delivery of each kind the server must
// acknowledge without storing (each send draws a fresh delivery id): a push, a pull-request sync, a comment
// without a command on a hub, a label a bot adds, a label a human removes
// from an issue that is no task.
func (w *world) irrelevant() ([]delivery, error) {
	s, repo, hub := w.sim, w.cohorts[0].repo, w.cohorts[0].hub
	pr := s.OpenPR(contributor, repo, "Fix a typo in the contributor guide", "Fixes a typo.")
	issue := s.OpenIssue(contributor, repo, "Docs: broken link", "The link to the ladder is broken.")
	ids := map[string]bool{}
	ids[s.Comment(contributor, repo, hub, "Thanks for organising this! See you on Monday.").NodeID] = true
	labeled := s.AddLabel("dependabot[bot]", repo, issue.Number, "dependencies")
	s.AddLabel(contributor, repo, issue.Number, "kind/documentation")
	unlabeled := s.RemoveLabel(contributor, repo, issue.Number, "kind/documentation")
	var out []delivery
	for _, d := range s.Deliveries() {
		switch {
		case d.Event == "pull_request" && gjson.GetBytes(d.Payload, "number").Int() == int64(pr.Number):
			out = append(out, synchronize(d), push(d, repo))
		case d.Event == "issue_comment" && ids[gjson.GetBytes(d.Payload, "comment.node_id").String()]:
			out = append(out, newDelivery(d.Event, "", d.Payload))
		case d.ID == labeled || d.ID == unlabeled:
			out = append(out, newDelivery(d.Event, "", d.Payload))
		}
	}
	if len(out) != 5 {
		return nil, fmt.Errorf("built %d of 5 irrelevant deliveries", len(out))
	}
	return out, nil
}

// synchronize turns the simulated pull_request.opened into the
// pull_request.synchronize GitHub sends for a new push to the branch.
func synchronize(opened ghsim.Delivery) delivery {
	var m map[string]any
	_ = json.Unmarshal(opened.Payload, &m)
	m["action"] = "synchronize"
	m["before"] = strings.Repeat("a1", 20)
	m["after"] = strings.Repeat("b2", 20)
	p, _ := json.Marshal(m)
	return newDelivery("pull_request", "", p)
}

// push builds a push to the pull request's branch, with the repository,
// sender and installation the simulated GitHub rendered for it.
func push(opened ghsim.Delivery, repo string) delivery {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(opened.Payload, &m)
	commit := map[string]any{
		"id": strings.Repeat("b2", 20), "tree_id": strings.Repeat("c3", 20), "distinct": true,
		"message": "Fix a typo in the contributor guide", "timestamp": "2027-01-12T15:00:00Z",
		"author": map[string]string{"name": "Casey", "email": "casey@example.com", "username": contributor},
		"added":  []string{}, "removed": []string{}, "modified": []string{"contributors/guide/README.md"},
		"url":       "https://github.com/" + repo + "/commit/" + strings.Repeat("b2", 20),
		"committer": map[string]string{"name": "Casey", "email": "casey@example.com", "username": contributor},
	}
	p, _ := json.Marshal(map[string]any{
		"ref": "refs/heads/fix-typo", "before": strings.Repeat("a1", 20), "after": strings.Repeat("b2", 20),
		"created": false, "deleted": false, "forced": false, "base_ref": nil,
		"compare": "https://github.com/" + repo + "/compare/a1a1...b2b2",
		"commits": []any{commit}, "head_commit": commit,
		"pusher":     map[string]string{"name": contributor, "email": "casey@example.com"},
		"repository": m["repository"], "sender": m["sender"], "installation": m["installation"],
	})
	return newDelivery("push", "", p)
}
