package inproc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/ghsim/inproc"
)

// answer is how a flow reads the outcome of a call.
type answer struct {
	OK                            bool
	NotFound, Unprocessable, Gone bool
	// Refused is the status of a refusal for good (gh.Refusal), "" for
	// none: the messages differ where the sim's check of GitHub's REST
	// description answers before the route's handler, which Direct skips.
	Refused string
	Value   string
}

func read(v string, err error) answer {
	msg, _ := gh.Refusal(err)
	status, _, _ := strings.Cut(msg, " ")
	return answer{OK: err == nil, NotFound: gh.IsNotFound(err), Unprocessable: gh.IsUnprocessable(err), Gone: gh.IsGone(err), Refused: status, Value: v}
}

// flows is the part of the flows' interfaces both adapters implement here.
type flows interface {
	CreateComment(ctx context.Context, repo string, number int, body string) (int64, error)
	EditComment(ctx context.Context, repo string, id int64, body string) error
	React(ctx context.Context, repo string, commentID int64, content string) (int64, error)
	Unreact(ctx context.Context, repo string, commentID, reactionID int64) error
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	CreateIssue(ctx context.Context, repo string, ni gh.NewIssue) (gh.Issue, error)
	CloseIssue(ctx context.Context, repo string, number int, reason string) error
	EnsureLabels(ctx context.Context, repo string, labels ...gh.LabelSpec) error
	AddLabels(ctx context.Context, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, repo string, number int, label string) error
	Permission(ctx context.Context, repo, user string) (string, error)
}

// TestDirectAnswersAsGitHubDoes makes the same calls, refusals included,
// through inproc.Direct and through the production client over HTTP
// (inproc.Client), on two identical repositories, and compares how a flow
// reads each answer: success, 404, 422, 410, refusal for good, value.
func TestDirectAnswersAsGitHubDoes(t *testing.T) {
	// Some calls are refused on purpose: the REST description check may
	// answer them (OnInvalid), but every route must be known.
	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("unknown call %s %s", m, p) }, OnInvalid: func(_, _, _ string) {}})
	defer sim.Close()
	sim.AddInstallation(1, "org")
	sim.AddUser("ann")
	direct, _, err := inproc.NewDirect(sim, 1)
	if err != nil {
		t.Fatal(err)
	}
	http, _, err := inproc.Client(sim, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := inproc.Client(sim, 99); err == nil {
		t.Error("a client for an unknown installation")
	}
	want := calls(sim, http, "org/over-http")
	got := calls(sim, direct, "org/direct")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("answers differ (-HTTP +direct):\n%s", d)
	}
	// The calls are recorded alike, the repository's name aside.
	paths := func(repo string) []string {
		var out []string
		for _, r := range sim.Requests() {
			if strings.HasPrefix(r.Path, "/repos/"+repo+"/") {
				out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, "/repos/"+repo))
			}
		}
		return out
	}
	norm := func(ps []string) []string {
		for i, p := range ps {
			f := strings.Split(p, "/")
			for j, s := range f {
				if len(s) >= 6 && strings.Trim(s, "0123456789") == "" {
					f[j] = "N"
				}
			}
			ps[i] = strings.Join(f, "/")
		}
		return ps
	}
	if d := cmp.Diff(norm(paths("org/over-http")), norm(paths("org/direct"))); d != "" {
		t.Errorf("recorded requests differ (-HTTP +direct):\n%s", d)
	}
}

// calls makes the calls of TestDirectAnswersAsGitHubDoes through g on a
// new repository and reads each answer.
func calls(sim *ghsim.Sim, g flows, repo string) []answer {
	sim.AddRepo(1, repo, false)
	sim.SetPermission(repo, "ann", "maintain")
	ctx := context.Background()
	var out []answer
	add := func(v string, err error) { out = append(out, read(v, err)) }
	is, err := g.CreateIssue(ctx, repo, gh.NewIssue{Title: "t", Body: "b", Labels: []string{"new"}, Assignees: []string{"ann"}})
	add(strings.Join(is.Labels, ","), err)
	_, err = g.CreateIssue(ctx, repo, gh.NewIssue{Title: "t", Assignees: []string{"nobody-here"}})
	add("", err)
	_, err = g.CreateIssue(ctx, repo, gh.NewIssue{Title: ""})
	add("", err)
	id, err := g.CreateComment(ctx, repo, is.Number, "hello")
	add("", err)
	_, err = g.CreateComment(ctx, repo, 999, "hello")
	add("", err)
	_, err = g.CreateComment(ctx, repo, is.Number, strings.Repeat("x", 65537))
	add("", err)
	add("", g.EditComment(ctx, repo, id, "edited"))
	add("", g.EditComment(ctx, repo, 123456789, "edited"))
	rid, err := g.React(ctx, repo, id, "+1")
	add("", err)
	_, err = g.React(ctx, repo, id, "thumbs")
	add("", err)
	add("", g.Unreact(ctx, repo, id, rid))
	add("", g.Unreact(ctx, repo, id, rid))
	add("", g.EnsureLabels(ctx, repo, gh.LabelSpec{Name: "cohort/hub", Color: "0e8a16", Description: "d"}, gh.LabelSpec{Name: "new"}))
	add("", g.EnsureLabels(ctx, repo, gh.LabelSpec{Name: "bad", Color: "zzz"}))
	add("", g.EnsureLabels(ctx, repo, gh.LabelSpec{Name: strings.Repeat("l", 51)}))
	add("", g.AddLabels(ctx, repo, is.Number, "cohort/hub", "fresh"))
	add("", g.RemoveLabel(ctx, repo, is.Number, "fresh"))
	add("", g.RemoveLabel(ctx, repo, is.Number, "fresh"))
	add("", g.CloseIssue(ctx, repo, is.Number, "not_planned"))
	add("", g.CloseIssue(ctx, repo, is.Number, "bored"))
	got, err := g.GetIssue(ctx, repo, is.Number)
	add(got.State+" "+strings.Join(got.Labels, ","), err)
	for _, u := range []string{"ann", "zed"} {
		p, err := g.Permission(ctx, repo, u)
		add(p, err)
	}
	sim.DeleteIssue("ann", repo, is.Number)
	_, err = g.GetIssue(ctx, repo, is.Number)
	add("", err)
	return out
}
