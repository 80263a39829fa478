package bottest

import (
	"net/url"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/schedule"
)

// RetentionRepo readies the world for the retention follow-ups of SPEC §12,
// before any flow runs: the service's Measurer (schedule.SearchMeasurer over
// the sim's search API) with a search pacer of its own on the world's
// clock, the sim's search limit raised while the world lives (see
// LadderRepo), and the world moved to a mentoring repository of an owner of
// its own, <owner>/community. The follow-ups search the whole owner
// (org:<owner>), and the worlds of a test binary share the sim and its
// users: under Owner they would count each other's pull requests. It
// returns a second repository of that owner, <owner>/kubectl, where tests
// open the pull requests the follow-ups count.
func (w *World) RetentionRepo() string {
	w.T.Helper()
	owner := strings.ReplaceAll(w.Repo, "/", "-")
	w.Repo = owner + "/community"
	addMentoringRepo(w.Sim, w.Repo)
	s, ok := w.GitHub.(kernel.Searcher)
	if !ok {
		w.T.Fatalf("the world's GitHub %T cannot search", w.GitHub)
	}
	w.searchable()
	w.Env.Measurer = schedule.SearchMeasurer{Env: w.Env, Client: func(int64) (kernel.Searcher, error) { return s, nil }}
	repo := owner + "/kubectl"
	w.Sim.AddRepo(Installation, repo, false)
	return repo
}

// owner is the world's owner (RetentionRepo's own after it ran).
func (w *World) owner() string {
	o, _, _ := strings.Cut(w.Repo, "/")
	return o
}

// FollowUps are the bot's retention follow-ups on issue number (the hub),
// in order, as BotComments writes them, with the world's owner written as
// Owner.
func (w *World) FollowUps(number int) []string {
	out := []string{}
	for _, c := range w.BotComments(number) {
		if strings.Contains(c, "<!-- cohortbot:retention ") {
			out = append(out, w.plainOwner(c))
		}
	}
	return out
}

// RetentionSearches are the searches in the world's owner (org:<owner>, or
// repo:<owner>/<name> for a track's scope)
// the flows sent so far, in order, with the owner written as Owner.
func (w *World) RetentionSearches() []string {
	var out []string
	org, repos := "org:"+w.owner(), "repo:"+w.owner()+"/"
	for _, r := range w.Sim.Requests() {
		if r.Path != "/search/issues" {
			continue
		}
		v, _ := url.ParseQuery(r.Query)
		if q := v.Get("q"); strings.Contains(" "+q+" ", " "+org+" ") || strings.Contains(" "+q, " "+repos) {
			out = append(out, w.plainOwner(q))
		}
	}
	return out
}

// plainOwner writes the world's owner as Owner in the scope terms of s
// (org:<owner>, repo:<owner>/<name>).
func (w *World) plainOwner(s string) string {
	return strings.NewReplacer("org:"+w.owner(), "org:"+Owner, "repo:"+w.owner()+"/", "repo:"+Owner+"/").Replace(s)
}
