package crashtest

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// form renders an issue body as GitHub renders an issue form submission.
func form(fields map[string]string) string {
	return cohort.SubmissionOf(cohort.FormFields, fields)
}

// request is the cohort request of the scenarios, starting on start.
func request(start time.Time) string {
	return form(map[string]string{
		"Cohort name":   "SIG Apps reviewers " + start.Format("2006"),
		"Ladder step":   "Reviewer",
		"SIGs or areas": "SIG Apps, SIG CLI",
		"Mentors":       "@mentor-ann\n@mentor-ben\n@mentor-cy",
		"Mentees":       "@mia -> @mentor-ann\n@noah -> @mentor-ann\n@olga -> @mentor-ben\n@pete\n@quinn\n@rosa\n@sam\n@tess",
		"Start date":    start.Format("2006-01-02"),
		"End date":      start.AddDate(0, 0, 69).Format("2006-01-02"),
		"Check-in day":  "Monday",
		"Time zone":     "UTC",
		"Chat channel":  "#cohort-sig-apps",
	})
}

// week1 is an instant in the crash scenario's first cohort week.
var week1 = time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)

const (
	complete   = "/checkin\nAccomplishments: reviewed two PRs in kubectl\nChallenges: finding time\nNext steps: shadow a release"
	incomplete = "/checkin\nAccomplishments: read the contributor guide"
)

// busyRun is the crash test's scenario on a cohort starting 2027-01-11 (so
// the services' own periodic tick, on the real clock, has nothing to do):
// the request, a burst of check-ins, an /away and a replacing check-in, an
// incomplete check-in fixed by an edit, a plain comment, and the week-1
// boundary run by a `cohortbot tick --at` subprocess. settle waits for
// quiet between steps.
func busyRun(w *world, settle func()) {
	w.sim.OpenIssue(organizer, repo, "New cohort", request(time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC)), "cohort/request")
	settle()
	hub, m := w.numbers()
	if hub == 0 || len(m) != 8 {
		w.t.Fatalf("cohort not created: hub %d, mentee issues %v", hub, m)
	}
	for _, u := range []string{"mia", "olga", "pete", "quinn", "sam", "tess"} {
		w.comment(u, m[u], complete, week1)
	}
	noah := w.comment("noah", m["noah"], incomplete, week1)
	w.comment("rosa", m["rosa"], "/away 2", week1)
	w.comment("mia", hub, strings.Replace(complete, "two PRs", "five PRs", 1), week1.Add(time.Hour))
	w.comment("mentor-ann", m["mia"], "Great progress this week!", week1.Add(2*time.Hour))
	settle()
	w.sim.EditComment("noah", repo, noah.ID, incomplete+"\nChallenges: none yet")
	settle()
	w.tick("2027-01-19T09:00:00Z")
	settle()
}

// issueState is what users see of one issue, without ids or timestamps.
type issueState struct {
	Title, Body, State, Reason string
	Labels, Assignees          []string
	Parent                     int
	Reactions                  []string
	Comments                   []commentState
}

// commentState is what users see of one comment.
type commentState struct {
	User, Body string
	Reactions  []string
}

// volatile matches what legitimately differs between two runs: comment and
// cohort ids in links and markers, and timestamps (ladder progress says
// when it was last measured, by whichever process's clock — serve's real
// one or `tick --at`'s — ran the search).
var volatile = regexp.MustCompile(`issuecomment-\d+|comment[-_ ]?(id)?[=:]\s*\d+|cohort=\d+|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z|\d{4}-\d\d-\d\d \d\d:\d\d`)

// normalise blanks ids and the simulated GitHub's address (a port).
func (w *world) normalise(s string) string {
	return volatile.ReplaceAllString(strings.ReplaceAll(s, w.sim.URL(), "https://github.test"), "…")
}

// snapshot is the repository as users see it. Comments are sorted: a retry
// after a crash may legitimately post a comment later than a clean run
// would, but never twice or not at all.
func (w *world) snapshot() []issueState {
	var out []issueState
	for _, i := range w.sim.Issues(repo) {
		s := issueState{Title: i.Title, Body: w.normalise(i.Body), State: i.State, Reason: i.StateReason,
			Labels: sorted(i.Labels), Assignees: sorted(i.Assignees), Parent: i.Parent}
		for _, r := range i.Reactions {
			s.Reactions = append(s.Reactions, r.User+":"+r.Content)
		}
		sort.Strings(s.Reactions)
		for _, c := range w.sim.Comments(repo, i.Number) {
			cs := commentState{User: c.User, Body: w.normalise(c.Body)}
			for _, r := range c.Reactions {
				cs.Reactions = append(cs.Reactions, r.User+":"+r.Content)
			}
			sort.Strings(cs.Reactions)
			s.Comments = append(s.Comments, cs)
		}
		sort.Slice(s.Comments, func(a, b int) bool {
			return s.Comments[a].User+s.Comments[a].Body < s.Comments[b].User+s.Comments[b].Body
		})
		out = append(out, s)
	}
	return out
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}
