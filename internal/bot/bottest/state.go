package bottest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// IssueView is what a flow test compares of an issue: the parts people see
// in the issue list.
type IssueView struct {
	Number    int
	Title     string
	State     string // open, closed
	Reason    string // the state reason of a closed issue
	Labels    []string
	Assignees []string
}

// Issues is every issue of the world's repository, by number, labels and assignees sorted.
func (w *World) Issues() []IssueView {
	var out []IssueView
	for _, is := range w.Sim.Issues(w.Repo) {
		out = append(out, view(is))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// Issue is issue number of the world's repository.
func (w *World) Issue(number int) IssueView {
	w.T.Helper()
	is := w.Sim.Issue(w.Repo, number)
	if is == nil {
		w.T.Fatalf("no issue #%d", number)
	}
	return view(is)
}

func view(is *ghsim.Issue) IssueView {
	v := IssueView{Number: is.Number, Title: is.Title, State: is.State, Labels: sorted(is.Labels), Assignees: sorted(is.Assignees)}
	if is.State == "closed" {
		v.Reason = is.StateReason
	}
	return v
}

func sorted(in []string) []string {
	out := append([]string{}, in...)
	sort.Strings(out)
	return out
}

// BotComments are the bodies of the bot's comments on issue number, oldest
// first, with the invisible joiners that defuse mentions taken out.
func (w *World) BotComments(number int) []string {
	out := []string{}
	for _, c := range w.Sim.Comments(w.Repo, number) {
		if c.User == w.Sim.BotLogin() {
			out = append(out, w.Plain(c.Body))
		}
	}
	return out
}

// Plain is s with the word joiners (U+2060) that defuse mentions removed,
// the sim's address (a random port) written as WebURL, the world's
// repository as Repo, and the ids in the bot's markers (cohort=…,
// comment=…) and in links to comments (#issuecomment-…) as N: they come
// from the sim's counters, shared by the worlds of a test binary. Golden
// files are then the same on every run and in any order.
func (w *World) Plain(s string) string {
	s = strings.NewReplacer("\u2060", "", w.Sim.URL(), WebURL, w.Repo, Repo).Replace(s)
	s = markerIDs.ReplaceAllString(s, "${1}=N")
	return commentLinks.ReplaceAllString(s, "#issuecomment-N")
}

var (
	markerIDs    = regexp.MustCompile(`\b(cohort|comment)=\d+`)
	commentLinks = regexp.MustCompile(`#issuecomment-\d+`)
)

// WebURL stands for the simulated GitHub's web address in BotComments.
const WebURL = "https://github.example"

// Reactions are the bot's reactions on comment id, in order.
func (w *World) Reactions(id int64) []string {
	out := []string{}
	c := w.Sim.CommentByID(id)
	if c == nil {
		return out
	}
	for _, r := range c.Reactions {
		if r.User == w.Sim.BotLogin() {
			out = append(out, r.Content)
		}
	}
	return out
}

// Golden compares got with testdata/<name>.golden, or writes it there when
// update is set. Bodies too long to read in a table live there.
func (w *World) Golden(name, got string, update bool) {
	w.T.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			w.T.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			w.T.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		w.T.Fatalf("%v (run with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		w.T.Errorf("%s differs from %s (-want +got):\n%s", name, path, diff)
	}
}
