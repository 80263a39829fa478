package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// waitlistState is the bot's comments on every issue of the world, for a
// golden file.
func waitlistState(w *bottest.World) string {
	var b strings.Builder
	for _, is := range w.Issues() {
		for i, c := range w.BotComments(is.Number) {
			fmt.Fprintf(&b, "=== bot comment %d on #%d\n%s\n", i+1, is.Number, c)
		}
	}
	return b.String()
}

// waitIssue is an expected waitlist issue.
func waitIssue(n int, who, state, reason string, labels ...string) bottest.IssueView {
	title := "Join a cohort: " + who
	if strings.HasPrefix(who, "mentor-") {
		title = "Offer to mentor: " + who
	}
	v := issue(n, title, state, labels, nil)
	v.Reason = reason
	return v
}

var (
	onList  = []string{"cohort/interest", "waitlist/mentee"}
	offered = []string{"cohort/mentor-offer", "waitlist/mentor"}
)

// TestFlowWaitlist files interests and mentor offers (SPEC §11) and
// compares the simulated GitHub: a valid one labelled for the waitlist
// and answered once with the counts, a person's second interest closed as
// a duplicate of the first, and nothing new from a redelivery.
func TestFlowWaitlist(t *testing.T) {
	tests := []struct {
		name   string
		steps  func(w *bottest.World)
		issues []bottest.IssueView
	}{
		{name: "interest", steps: func(w *bottest.World) { w.Join("mia", "Reviewer", "SIG Apps, sig cli", "Europe/Berlin") },
			issues: []bottest.IssueView{waitIssue(1, "mia", "open", "", onList...)}},
		{name: "offer", steps: func(w *bottest.World) { w.Offer("mentor-ann", "Reviewer", "SIG Apps", "America/New_York", "2") },
			issues: []bottest.IssueView{waitIssue(1, "mentor-ann", "open", "", offered...)}},
		{name: "offer without capacity", steps: func(w *bottest.World) { w.Offer("mentor-ben", "Member", "SIG Docs", "UTC", "") },
			issues: []bottest.IssueView{waitIssue(1, "mentor-ben", "open", "", offered...)}},
		{name: "counts by ladder step", steps: func(w *bottest.World) {
			w.Join("mia", "Reviewer", "SIG Apps", "Europe/Berlin")
			w.Offer("mentor-ann", "Reviewer", "SIG Apps", "America/New_York", "2")
			w.Join("noah", "reviewer", "SIG CLI", "Asia/Tokyo")
			w.Join("olga", "Approver", "SIG CLI", "UTC")
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", "", onList...), waitIssue(2, "mentor-ann", "open", "", offered...),
			waitIssue(3, "noah", "open", "", onList...), waitIssue(4, "olga", "open", "", onList...)}},
		{name: "redelivered", steps: func(w *bottest.World) {
			is := w.Join("mia", "Reviewer", "SIG Apps", "UTC")
			w.Rewaitlist(is.Number, "opened")
			w.Rewaitlist(is.Number, "labeled")
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", "", onList...)}},
		{name: "duplicate", steps: func(w *bottest.World) {
			w.Join("mia", "Reviewer", "SIG Apps", "UTC")
			second := w.Join("mia", "Approver", "SIG CLI", "UTC")
			w.Rewaitlist(second.Number, "opened")            // a redelivery: still one comment
			w.Offer("mia", "Member", "SIG Apps", "UTC", "1") // an offer is no duplicate of an interest
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", "", onList...), waitIssue(2, "mia", "closed", "duplicate", "cohort/interest"),
			{Number: 3, Title: "Offer to mentor: mia", State: "open", Labels: offered, Assignees: []string{}}}},
		{name: "closed and filed again", steps: func(w *bottest.World) {
			first := w.Join("mia", "Reviewer", "SIG Apps", "UTC")
			w.Sim.CloseIssue("mia", w.Repo, first.Number, "completed")
			w.Rewaitlist(first.Number, "closed")
			w.Join("mia", "Approver", "SIG CLI", "UTC") // the first left the waitlist: no duplicate
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "closed", "completed", onList...), waitIssue(2, "mia", "open", "", onList...)}},
		// An edit that breaks a valid interest takes it off the waitlist:
		// waitlist/mentee goes, the comment says what to fix, and a new
		// interest is no duplicate.
		{name: "broken by an edit", steps: func(w *bottest.World) {
			is := w.Join("mia", "Reviewer", "SIG Apps", "UTC")
			w.Sim.EditIssueBody("mia", w.Repo, is.Number, bottest.InterestForm("Wizard", "SIG Apps", "UTC"))
			w.Rewaitlist(is.Number, "edited")
			w.Join("mia", "Approver", "SIG CLI", "UTC")
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", "", "cohort/interest", "cohort/needs-fixes"),
			waitIssue(2, "mia", "open", "", onList...)}},
		// An issue deleted before the bot answered (GitHub answers 404)
		// leaves the waitlist quietly: the person's next interest is no
		// duplicate of it.
		{name: "deleted before the answer", steps: func(w *bottest.World) {
			is := w.Sim.OpenIssue("mia", w.Repo, "Join a cohort: mia", bottest.InterestForm("Reviewer", "SIG Apps", "UTC"))
			w.Sim.VanishIssue(w.Repo, is.Number)
			w.Rewaitlist(is.Number, "opened")
			w.Join("mia", "Approver", "SIG CLI", "UTC")
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", ""), waitIssue(2, "mia", "open", "", onList...)}},
		{name: "deleted with problems", steps: func(w *bottest.World) {
			is := w.Sim.OpenIssue("mia", w.Repo, "Join a cohort: mia", bottest.InterestForm("Wizard", "SIG Apps", "UTC"))
			w.Sim.VanishIssue(w.Repo, is.Number)
			w.Rewaitlist(is.Number, "opened")
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", "")}},
		{name: "duplicate deleted before the answer", steps: func(w *bottest.World) {
			w.Join("mia", "Reviewer", "SIG Apps", "UTC")
			is := w.Sim.OpenIssue("mia", w.Repo, "Join a cohort: mia", bottest.InterestForm("Approver", "SIG CLI", "UTC"), "cohort/interest")
			w.Sim.VanishIssue(w.Repo, is.Number)
			w.Rewaitlist(is.Number, "opened")
		}, issues: []bottest.IssueView{waitIssue(1, "mia", "open", "", onList...), waitIssue(2, "mia", "open", "", "cohort/interest")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := bottest.New(t)
			tc.steps(w)
			diff(t, "issues", tc.issues, w.Issues())
			w.Golden(goldenName("flows/waitlist", tc.name), waitlistState(w), goldenUpdate())
		})
	}
}

// TestFlowWaitlistProblems files an interest or offer with one kind of bad
// answer each: one comment saying what to fix (golden), cohort/needs-fixes,
// nothing on the waitlist; the author's edit fixing it edits that comment,
// drops cohort/needs-fixes and adds the kind's and the waitlist's labels.
func TestFlowWaitlistProblems(t *testing.T) {
	tests := []struct {
		name, body, fixed string
		kind              string // mentee (an interest) or mentor (an offer)
	}{
		{"unknown ladder step", bottest.InterestForm("Wizard", "SIG Apps", "UTC"), bottest.InterestForm("Reviewer", "SIG Apps", "UTC"), "mentee"},
		{"time zone not IANA", bottest.InterestForm("Reviewer", "SIG Apps", "CEST"), bottest.InterestForm("Reviewer", "SIG Apps", "Europe/Paris"), "mentee"},
		{"time zone Local", bottest.InterestForm("Reviewer", "SIG Apps", "Local"), bottest.InterestForm("Reviewer", "SIG Apps", "UTC"), "mentee"},
		{"no areas", bottest.InterestForm("Reviewer", "", "UTC"), bottest.InterestForm("Reviewer", "SIG Apps", "UTC"), "mentee"},
		{"capacity not a number", bottest.OfferForm("Reviewer", "SIG Apps", "UTC", "three"), bottest.OfferForm("Reviewer", "SIG Apps", "UTC", "3"), "mentor"},
		{"capacity out of range", bottest.OfferForm("Reviewer", "SIG Apps", "UTC", "40"), bottest.OfferForm("Reviewer", "SIG Apps", "UTC", "1"), "mentor"},
		{"everything at once", bottest.OfferForm("Wizard", "", "CEST", "0"), bottest.OfferForm("Member", "SIG Docs", "UTC", ""), "mentor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := bottest.New(t)
			is := w.OpenWaitlist("uma", "Waitlist", tc.body)
			diff(t, "issues", []bottest.IssueView{issue(1, "Waitlist", "open", []string{"cohort/needs-fixes"}, nil)}, w.Issues())
			cs := w.BotComments(is.Number)
			if len(cs) != 1 {
				t.Fatalf("%d bot comments, want 1: %q", len(cs), cs)
			}
			w.Golden(goldenName("flows/waitlist", tc.name), cs[0], goldenUpdate())
			first := w.Sim.Comments(w.Repo, is.Number)[0].ID

			w.Sim.EditIssueBody("uma", w.Repo, is.Number, tc.fixed)
			w.Rewaitlist(is.Number, "edited")
			diff(t, "issues once fixed", []bottest.IssueView{issue(1, "Waitlist", "open", map[string][]string{"mentee": onList, "mentor": offered}[tc.kind], nil)}, w.Issues())
			after := w.Sim.Comments(w.Repo, is.Number)
			if len(after) != 1 || after[0].ID != first {
				t.Fatalf("want the one report edited in place, got %d comments", len(after))
			}
			w.Golden(goldenName("flows/waitlist", tc.name+" fixed"), w.BotComments(is.Number)[0], goldenUpdate())
		})
	}
}
