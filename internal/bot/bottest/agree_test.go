package bottest_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// outcome is what a story leaves on the simulated GitHub.
type outcome struct {
	Issues   []bottest.IssueView
	Comments map[int][]string
	Reacts   [][]string
	Labels   []string // the repository's labels: name colour description
}

// story creates a cohort, then records a check-in, refuses one, graduates
// and withdraws a mentee, and misspells a command.
func story(w *bottest.World) outcome {
	w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
	w.At(time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC))
	var out outcome
	for _, c := range []struct {
		who  string
		n    int
		body string
	}{
		{"mia", 3, "/checkin\nAccomplishments: a\nChallenges: b"},
		{"noah", 4, "/checkin\nAccomplishments: a"},
		{"mentor-ann", 2, "/graduate @olga"},
		{"pete", 6, "/withdraw"},
		{"quinn", 2, "/check-in\nAccomplishments: a\nChallenges: b"},
		{"mentor-ben", 2, "/checkin @rosa\nAccomplishments: a\nChallenges: b"},
	} {
		out.Reacts = append(out.Reacts, w.Reactions(w.Comment(c.who, c.n, c.body).ID))
	}
	out.Issues = w.Issues()
	out.Comments = map[int][]string{}
	for _, is := range out.Issues {
		out.Comments[is.Number] = w.BotComments(is.Number)
	}
	for _, l := range w.Sim.Labels(w.Repo) {
		out.Labels = append(out.Labels, strings.Join([]string{l.Name, l.Color, l.Description}, " "))
	}
	return out
}

// TestFlowAdaptersAgree tells the same story through inproc.Direct and
// through the production client over the in-process transport: the
// simulated GitHub must end in the same state, with the same bot comments
// (issue bodies included, as the hub's and mentees' are rendered), and
// the same requests recorded.
func TestFlowAdaptersAgree(t *testing.T) {
	direct := bottest.New(t)
	d := story(direct)
	dreq := requests(direct)
	direct.Close()
	overHTTP := bottest.NewWith(t, bottest.Options{HTTP: true})
	h := story(overHTTP)
	want := [][]string{{"+1"}, {"confused"}, {"+1"}, {"+1"}, {}, {"+1"}}
	if diff := cmp.Diff(want, d.Reacts); diff != "" {
		t.Errorf("the story's reactions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(h, d); diff != "" {
		t.Errorf("outcomes differ (-HTTP +direct):\n%s", diff)
	}
	for _, n := range []int{2, 3, 4, 5, 6} {
		hb, db := overHTTP.Plain(overHTTP.Sim.Issue(overHTTP.Repo, n).Body), direct.Plain(direct.Sim.Issue(direct.Repo, n).Body)
		if diff := cmp.Diff(hb, db); diff != "" {
			t.Errorf("body of #%d differs (-HTTP +direct):\n%s", n, diff)
		}
	}
	if diff := cmp.Diff(requests(overHTTP), dreq); diff != "" {
		t.Errorf("requests differ (-HTTP +direct):\n%s", diff)
	}
}

// requests are the world's recorded REST requests to its repository:
// method, path (ids as N) and status.
func requests(w *bottest.World) []string {
	var out []string
	prefix := "/repos/" + w.Repo + "/"
	for _, r := range w.Sim.Requests() {
		if !strings.HasPrefix(r.Path, prefix) {
			continue
		}
		f := strings.Split(strings.TrimPrefix(r.Path, prefix), "/")
		for i, s := range f {
			if len(s) >= 6 && strings.Trim(s, "0123456789") == "" {
				f[i] = "N"
			}
		}
		out = append(out, r.Method+" "+strings.Join(f, "/")+" "+strconv.Itoa(r.Status))
	}
	return out
}
