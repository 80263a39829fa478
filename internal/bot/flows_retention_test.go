package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/bot/schedule"
)

// retentionWorld is cohortWorld readied for the retention follow-ups (SPEC
// §12) with config as .github/cohortbot.yml ("": none; {owner} stands for
// the world's owner): in week 1 mia and
// noah graduate, pete withdraws and noah opens a pull request in the
// owner's other repository (before the close: it never counts). It returns
// that repository.
func retentionWorld(t *testing.T, config string) (*bottest.World, string) {
	t.Helper()
	w := bottest.New(t)
	kubectl := w.RetentionRepo()
	if config != "" {
		owner, _, _ := strings.Cut(w.Repo, "/")
		w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", strings.ReplaceAll(config, "{owner}", owner))
	}
	w.Request(bottest.Organizer, "New cohort", bottest.Form(bottest.ValidFields()), "cohort/request")
	if n := len(w.Issues()); n != 10 {
		t.Fatalf("%d issues after the request, want 10", n)
	}
	w.At(week1)
	w.Comment("mentor-ann", hubIssue, "/graduate @mia\n/graduate @noah")
	w.Comment("pete", menteeIssue["pete"], "/withdraw")
	w.Sim.OpenPR("noah", kubectl, "Before the close", "")
	return w, kubectl
}

// afterClose is activity of retentionWorld's mentees at at, after the
// close: the first time (first), mia opens a pull request and sam approves
// it; later, noah comments a review on mentor-cy's.
func afterClose(w *bottest.World, kubectl string, at time.Time, first bool) {
	w.At(at)
	if first {
		pr := w.Sim.OpenPR("mia", kubectl, "Docs: mentoring FAQ", "")
		w.Sim.SubmitReview("sam", kubectl, pr.Number, "APPROVED")
		return
	}
	pr := w.Sim.OpenPR("mentor-cy", kubectl, "kubectl: a flag", "")
	w.Sim.SubmitReview("noah", kubectl, pr.Number, "COMMENTED")
}

func closeByCommand(w *bottest.World) time.Time {
	w.At(week2)
	w.Comment(bottest.Organizer, hubIssue, "/close-cohort")
	return week2
}

// closeAtEndDate closes the cohort by a tick 9 hours after its end date
// ended, and returns when it closed: the end of the end date (follow-ups
// count from there, not from the late tick).
func closeAtEndDate(w *bottest.World) time.Time {
	if rep := w.Tick(dayAfterEnd); rep != (schedule.TickReport{Due: 1, Done: 1}) {
		w.T.Errorf("the closing tick's report %+v, want the close alone", rep)
	}
	return time.Date(2027, 3, 22, 0, 0, 0, 0, time.UTC)
}

// TestFlowRetention runs the scheduler around each follow-up's due time
// after the cohort closed (SPEC §12): a second before it nothing is
// searched or posted; at it, every mentee still on the roster is searched
// for (authored since the close, reviewed since the close, in the owner)
// and one comment goes on the closed hub (golden, with the searches),
// counting the pull requests since the close (mia's and sam's from 10 days
// on, noah's review from the day after the first follow-up in the second);
// the same instant again, an hour later and the next due time's eve do
// nothing more, and neither does a tick long after the last one.
func TestFlowRetention(t *testing.T) {
	tests := []struct {
		name, config string
		close        func(w *bottest.World) time.Time
		days         []int // the follow-ups posted, in order
		mentees      int   // measured at each
	}{
		{name: "closed at the end date", close: closeAtEndDate, days: []int{90, 365}, mentees: 8},
		{name: "closed by an organizer", close: closeByCommand, days: []int{90, 365}, mentees: 8},
		{name: "follow-up days from the config", config: "retention:\n  follow_up_days: [30, 120]\n",
			close: closeAtEndDate, days: []int{30, 120}, mentees: 8},
		// The track's scope (SPEC §12: searched as in §10), not the owner.
		{name: "in the track's scope", config: "tracks:\n  reviewer:\n    scope: [\"{owner}/kubectl\"]\n",
			close: closeAtEndDate, days: []int{90, 365}, mentees: 8},
		{name: "no follow-ups configured", config: "retention:\n  follow_up_days: []\n", close: closeAtEndDate},
		{name: "a removed mentee", close: func(w *bottest.World) time.Time {
			w.At(week1)
			w.Comment(bottest.Organizer, hubIssue, "/remove-mentee @tess")
			return closeAtEndDate(w)
		}, days: []int{90, 365}, mentees: 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, kubectl := retentionWorld(t, tc.config)
			closed := tc.close(w)
			afterClose(w, kubectl, closed.AddDate(0, 0, 10), true)
			issues := w.Issues()
			for i, d := range tc.days {
				due := closed.Add(time.Duration(d) * 24 * time.Hour)
				searches, writes := len(w.RetentionSearches()), w.Writes()
				quiet(t, w, due.Add(-time.Second), "a second before the %d-day follow-up", d)
				if rep := w.Tick(due); rep != (schedule.TickReport{Due: 1, Done: 1}) {
					t.Errorf("the %d-day tick's report %+v, want one follow-up done", d, rep)
				}
				if n := len(w.FollowUps(hubIssue)); n != i+1 {
					t.Fatalf("%d follow-ups at %d days, want %d", n, d, i+1)
				}
				if n := len(w.RetentionSearches()) - searches; n != 2*tc.mentees {
					t.Errorf("%d searches for the %d-day follow-up, want %d", n, d, 2*tc.mentees)
				}
				if n := w.Writes() - writes; n != 1 {
					t.Errorf("%d writes for the %d-day follow-up, want its comment alone", n, d)
				}
				quiet(t, w, due, "the %d-day follow-up's instant again", d)
				quiet(t, w, due.Add(time.Hour), "an hour after the %d-day follow-up", d)
				afterClose(w, kubectl, due.AddDate(0, 0, 1), false) // counts at the next one
			}
			quiet(t, w, closed.AddDate(3, 0, 0), "three years after the close")
			diff(t, "issues", issues, w.Issues())
			w.Golden(goldenName("flows/retention", tc.name), retentionState(w), goldenUpdate())
		})
	}
}

// quiet ticks at at and fails t when the tick did anything: a report, a
// write, a search.
func quiet(t *testing.T, w *bottest.World, at time.Time, when string, args ...any) {
	t.Helper()
	searches, writes := len(w.RetentionSearches()), w.Writes()
	if rep := w.Tick(at); rep != (schedule.TickReport{}) {
		t.Errorf("%s: tick report %+v, want none", fmt.Sprintf(when, args...), rep)
	}
	if s, n := len(w.RetentionSearches())-searches, w.Writes()-writes; s != 0 || n != 0 {
		t.Errorf("%s: %d searches and %d writes, want none", fmt.Sprintf(when, args...), s, n)
	}
}

// retentionState is the follow-ups on the hub and the searches sent, for a
// golden file.
func retentionState(w *bottest.World) string {
	var b strings.Builder
	for i, c := range w.FollowUps(hubIssue) {
		fmt.Fprintf(&b, "=== follow-up %d on #%d\n%s\n", i+1, hubIssue, c)
	}
	fmt.Fprintf(&b, "=== searches\n%s\n", strings.Join(w.RetentionSearches(), "\n"))
	return b.String()
}
