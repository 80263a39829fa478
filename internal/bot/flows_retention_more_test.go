package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
)

// day90 is the 90-day follow-up's due time of a cohort closed at the end
// date's tick (closeAtEndDate).
var day90 = dayAfterEnd.AddDate(0, 0, 90)

// hubCohort is the store's record of the world's cohort.
func hubCohort(t *testing.T, w *bottest.World) store.Cohort {
	t.Helper()
	c, _, _, err := w.Store.CohortByIssue(w.Ctx, w.Repo, hubIssue)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFlowRetentionInterrupted: a 90-day follow-up whose tick stopped after
// the measuring, its comment's effect left pending (SPEC §8: resumable,
// each effect once), is finished by the next tick from the figures kept,
// searching nobody again and keeping the day it was measured on: its comment, found on the hub, is not posted a
// second time; not found, it is posted, the same as it was measured.
func TestFlowRetentionInterrupted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		posted bool
	}{
		{name: "comment posted", posted: true},
		{name: "comment not posted", posted: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, kubectl := retentionWorld(t, "")
			afterClose(w, kubectl, closeAtEndDate(w).AddDate(0, 0, 10), true)
			w.Tick(day90)
			first := w.FollowUps(hubIssue)
			c := hubCohort(t, w)
			f, err := w.Store.FollowUp(w.Ctx, c.ID, 90)
			if err != nil || len(first) != 1 {
				t.Fatalf("after the 90-day tick: follow-ups %q, stored %+v, %v", first, f, err)
			}
			f.State = store.FollowUpMeasured
			for _, err := range []error{w.Store.PutFollowUp(w.Ctx, f), w.Store.SetRetentionDue(w.Ctx, c.ID, day90),
				w.Store.PutEffect(w.Ctx, kernel.RetentionKey(c.ID, 90), store.EffectPending, "")} {
				if err != nil {
					t.Fatal(err)
				}
			}
			if !tc.posted {
				comments := w.Sim.Comments(w.Repo, hubIssue)
				w.Sim.DeleteComment(w.Sim.BotLogin(), w.Repo, comments[len(comments)-1].ID)
			}
			afterClose(w, kubectl, day90.Add(time.Minute), false) // not measured: the figures are kept
			searches := len(w.RetentionSearches())
			w.Tick(day90.AddDate(0, 0, 1)) // the next day: still "Measured on" the first
			diff(t, "follow-ups on the hub", first, w.FollowUps(hubIssue))
			if n := len(w.RetentionSearches()) - searches; n != 0 {
				t.Errorf("%d searches to finish the follow-up, want none", n)
			}
			quiet(t, w, day90.AddDate(0, 0, 1).Add(time.Hour), "the tick after the follow-up was finished")
		})
	}
}

// TestFlowRetentionBrokenConfig: a follow-up that comes due while the
// repository's config is broken waits a day for a fix (nothing searched,
// nothing posted meanwhile, even once the file is fixed), then is posted.
func TestFlowRetentionBrokenConfig(t *testing.T) {
	w, _ := retentionWorld(t, "")
	closeAtEndDate(w)
	w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", "max_mentees: lots\n")
	searches, writes := len(w.RetentionSearches()), w.Writes()
	w.Tick(day90)
	if s, n := len(w.RetentionSearches())-searches, w.Writes()-writes; s != 0 || n != 0 {
		t.Errorf("the due tick with a broken config made %d searches and %d writes, want none", s, n)
	}
	w.Sim.PutFile(w.Repo, ".github/cohortbot.yml", "max_mentees: 10\n")
	quiet(t, w, day90.Add(time.Hour), "an hour after the fix")
	quiet(t, w, day90.AddDate(0, 0, 1).Add(-time.Second), "a second before the day's wait ends")
	w.Tick(day90.AddDate(0, 0, 1))
	got := w.FollowUps(hubIssue)
	if len(got) != 1 || !strings.Contains(got[0], "Measured on 2027-06-21") {
		t.Errorf("follow-ups after the day's wait: %q, want the 90-day one measured on 2027-06-21", got)
	}
}

// TestFlowRetentionNoCloseInstant: a completed cohort whose close record
// has no instant (none to count the days from) gets no follow-up, ever,
// and is not looked at again.
func TestFlowRetentionNoCloseInstant(t *testing.T) {
	w, _ := retentionWorld(t, "")
	closeAtEndDate(w)
	c := hubCohort(t, w)
	if err := w.Store.PutEffect(w.Ctx, kernel.CloseKey(c.ID), store.EffectDone, `{"why":"reached its end date"}`); err != nil {
		t.Fatal(err)
	}
	w.Tick(day90) // finds no instant: plans nothing
	for _, at := range []time.Time{day90.Add(time.Hour), dayAfterEnd.AddDate(1, 0, 0), dayAfterEnd.AddDate(3, 0, 0)} {
		quiet(t, w, at, "a tick at %s", at.Format(time.DateOnly))
	}
	diff(t, "follow-ups", []string{}, w.FollowUps(hubIssue))
}
