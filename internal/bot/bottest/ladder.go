package bottest

import (
	"net/url"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/progress"
	"github.com/cohortbot/cohortbot/internal/ladder"
)

// LadderRepo readies the world for ladder progress (SPEC §10): a search
// pacer of its own on the world's clock, the sim's search limit raised
// while the world lives (its windows are per installation, and the worlds
// of a test binary share one installation and rewind the clock), and a
// repository of its own to search in, w.Repo+"-k8s" (Plain writes it
// Repo+"-k8s"), whose name it returns for the config's scope.
func (w *World) LadderRepo() string {
	w.searchable()
	repo := w.Repo + "-k8s"
	w.Sim.AddRepo(Installation, repo, false)
	return repo
}

// searchable gives the world a search pacer of its own on its clock and
// lifts the sim's search limit while the world lives.
func (w *World) searchable() {
	w.Env.Search = ladder.NewPacer(0, 0, w.Clock.Now)
	w.Sim.SetSearchLimit(1 << 20)
	w.T.Cleanup(func() { w.Sim.SetSearchLimit(0) })
}

// RunLadder runs the ladder jobs the flows queued (progress.MeasureLadder, as
// the ladder worker would), then settles renders. It reports how many ran.
func (w *World) RunLadder() int {
	w.T.Helper()
	g, ok := w.GitHub.(progress.LadderGitHub)
	if !ok {
		w.T.Fatalf("the world's GitHub %T cannot search", w.GitHub)
	}
	n := 0
	for _, a := range w.Jobs.take(func(k string) bool { return k == (progress.LadderArgs{}).Kind() }) {
		args := a.(progress.LadderArgs)
		if err := progress.MeasureLadder(w.Ctx, w.Env, g, args.Installation); err != nil {
			w.T.Fatalf("measure ladder of %d: %v", args.Installation, err)
		}
		n++
	}
	w.Settle()
	return n
}

// Searches are the search queries in the world's LadderRepo the flows sent
// so far, in order, with the world's repository written as Repo.
func (w *World) Searches() []string {
	var out []string
	scope := "repo:" + w.Repo + "-k8s"
	for _, r := range w.Sim.Requests() {
		if r.Path != "/search/issues" {
			continue
		}
		v, _ := url.ParseQuery(r.Query)
		if q := v.Get("q"); strings.Contains(q, scope) {
			out = append(out, strings.ReplaceAll(q, w.Repo, Repo))
		}
	}
	return out
}

// PlainLinks is Plain with the world's repository also written as Repo
// where a link's query escapes it (the search links of ladder progress).
func (w *World) PlainLinks(s string) string {
	return w.Plain(strings.ReplaceAll(s, url.QueryEscape(w.Repo), url.QueryEscape(Repo)))
}
