package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// week1End is a moment after week 1's boundary (2027-01-17 24:00 UTC).
var week1End = time.Date(2027, 1, 19, 9, 0, 0, 0, time.UTC)

// ladderWorld is cohortWorld with the Reviewer track requiring two PRs
// reviewed and one merged in the world's LadderRepo, where mia has two
// reviews and a merged PR (met) and noah one review (not met).
func ladderWorld(t *testing.T) (*bottest.World, string) {
	t.Helper()
	w := bottest.New(t)
	scope := w.LadderRepo()
	w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", ladderConfig(scope, 2))
	w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
	if n := len(w.Issues()); n != 10 {
		t.Fatalf("%d issues after the request, want 10", n)
	}
	var prs []int
	for range 3 {
		prs = append(prs, w.Sim.OpenPR("mentor-cy", scope, "a change", "").Number)
	}
	w.Sim.SubmitReview("mia", scope, prs[0], "APPROVED")
	w.Sim.SubmitReview("mia", scope, prs[1], "COMMENTED")
	w.Sim.SubmitReview("noah", scope, prs[2], "APPROVED")
	own := w.Sim.OpenPR("mia", scope, "mia's fix", "").Number
	w.Sim.SubmitReview("mia", scope, own, "COMMENTED") // her own PR: not a review that counts
	w.Sim.ClosePR("mentor-cy", scope, own, true)
	return w, scope
}

func ladderConfig(scope string, reviewed int) string {
	return fmt.Sprintf("tracks:\n  reviewer:\n    requirements: {reviewed_prs: %d, merged_prs: 1}\n    scope: [%s]\n", reviewed, scope)
}

// ladderCase is one case of TestFlowLadder: steps on ladderWorld returning
// the comment whose reactions to check (0: none), then the issues (from
// cohortIssues, with the labels of every on each mentee's issue and
// ladder/ready on those named ready), the number of searches, and a golden file
// of the bot's comments on the hub and mia's and noah's issues and their
// Ladder progress.
type ladderCase struct {
	name     string
	steps    func(w *bottest.World, scope string) int64
	every    []string // labels every mentee's issue gains
	ready    []string
	searches int
	reacts   []string
}

func progress(author string, issue int, body string) func(*bottest.World, string) int64 {
	return func(w *bottest.World, _ string) int64 {
		w.At(week1)
		return w.Comment(author, issue, body).ID
	}
}

var ladderCases = []ladderCase{
	{name: "sweep at the week boundary", steps: func(w *bottest.World, _ string) int64 {
		w.Tick(week1End)
		if n := w.RunLadder(); n == 0 {
			w.T.Error("the boundary queued no ladder job")
		}
		return 0
	}, every: []string{"checkin/missed"}, ready: []string{"mia"}, searches: 16},
	{name: "two sweeps one ready comment", steps: func(w *bottest.World, _ string) int64 {
		w.Tick(week1End)
		w.RunLadder()
		w.Tick(week1End.AddDate(0, 0, 7))
		w.RunLadder()
		return 0
	}, every: []string{"checkin/missed", "mentee/at-risk"}, ready: []string{"mia"}, searches: 32},
	{name: "progress by the mentee", steps: progress("mia", menteeIssue["mia"], "/progress"),
		ready: []string{"mia"}, searches: 2, reacts: []string{"+1"}},
	{name: "progress by a mentor about a mentee", steps: progress("mentor-ann", hubIssue, "/progress @noah"),
		searches: 2, reacts: []string{"+1"}},
	{name: "progress by an organizer on the hub", steps: progress(bottest.Organizer, hubIssue, "/progress"),
		ready: []string{"mia"}, searches: 16, reacts: []string{"+1"}},
	{name: "progress by a stranger", steps: progress("randy", hubIssue, "/progress"), reacts: []string{"confused"}},
	{name: "progress about a stranger", steps: progress(bottest.Organizer, hubIssue, "/progress @randy"), reacts: []string{"confused"}},
	{name: "progress by a mentor on the hub unnamed", steps: progress("mentor-ann", hubIssue, "/progress"),
		ready: []string{"mia"}, searches: 16, reacts: []string{"+1"}},
	{name: "requirements raised", steps: func(w *bottest.World, scope string) int64 {
		w.At(week1)
		w.Comment("mia", menteeIssue["mia"], "/progress")
		w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", ladderConfig(scope, 3))
		return w.Comment("mentor-ann", hubIssue, "/progress @mia").ID // the label goes, silently
	}, searches: 4, reacts: []string{"+1"}},
}

// TestFlowLadder measures ladder progress (SPEC §10) by the week boundary's
// sweep and by /progress, answered by the sim's search API: the Ladder
// progress regions, ladder/ready and its one comment on a mentee who meets
// every requirement, refusals for people off the roster.
func TestFlowLadder(t *testing.T) {
	for _, tc := range ladderCases {
		t.Run(tc.name, func(t *testing.T) {
			w, scope := ladderWorld(t)
			w.Sim.AddUser("randy")
			id := tc.steps(w, scope)
			want := cohortIssues()
			for h, n := range menteeIssue {
				for _, l := range tc.every {
					want = withLabel(want, n, l)
				}
				if contains(tc.ready, h) {
					want = withLabel(want, n, "ladder/ready")
				}
			}
			diff(t, "issues", want, w.Issues())
			if got := len(w.Searches()); got != tc.searches {
				t.Errorf("%d searches, want %d: %q", got, tc.searches, w.Searches())
			}
			if id != 0 {
				diff(t, "reactions", tc.reacts, w.Reactions(id))
			}
			w.Golden(goldenName("flows/ladder", tc.name), ladderState(w), goldenUpdate())
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ladderState is the bot's comments on the hub, mia's and noah's issues,
// the Ladder progress of mia's and noah's issues and the hub roster's rows.
func ladderState(w *bottest.World) string {
	var b strings.Builder
	for _, n := range []int{hubIssue, menteeIssue["mia"], menteeIssue["noah"]} {
		for i, c := range w.BotComments(n) {
			if strings.Contains(c, "cohortbot:boundary") {
				continue // the week boundary's, compared in TestFlowWeekBoundary
			}
			fmt.Fprintf(&b, "=== bot comment %d on #%d\n%s\n", i+1, n, w.PlainLinks(c))
		}
	}
	for _, n := range []int{menteeIssue["mia"], menteeIssue["noah"]} {
		fmt.Fprintf(&b, "=== ladder progress of #%d\n%s\n", n, region(w.PlainLinks(w.Sim.Issue(w.Repo, n).Body), "ladder"))
	}
	fmt.Fprintf(&b, "=== hub roster\n")
	for _, l := range strings.Split(region(w.PlainLinks(w.Sim.Issue(w.Repo, hubIssue).Body), "roster"), "\n") {
		if strings.HasPrefix(l, "| @") {
			fmt.Fprintln(&b, l)
		}
	}
	return b.String()
}
