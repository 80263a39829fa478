package e2e

import (
	"strconv"
	"testing"
)

// TestWaitlistInterestAndOffer: in a fresh repository (no labels, so GitHub
// drops the forms' labels) an interest and an offer are recognised by their
// headings, labelled, put on the waitlist and answered with one comment
// saying what happens next and how many wait for that ladder step.
func TestWaitlistInterestAndOffer(t *testing.T) {
	start(t, func(e *env) {
		mia := e.join("mia", "Reviewer", "SIG Apps, sig cli", "Europe/Berlin")
		wantLabels(t, mia, []string{"cohort/interest", "waitlist/mentee"}, []string{"cohort/needs-fixes", "cohort/request"})
		wantIn(t, "mia's comment", e.onlyComment(t, mia.Number), "you are on the waitlist for a Reviewer cohort",
			"1 mentee and 0 mentor offers", "close it to leave")
		ann := e.offer("mentor-ann", "Reviewer", "SIG Apps", "America/New_York", "2")
		wantLabels(t, ann, []string{"cohort/mentor-offer", "waitlist/mentor"}, []string{"waitlist/mentee"})
		wantIn(t, "ann's comment", e.onlyComment(t, ann.Number), "offer to mentor toward Reviewer is recorded",
			"up to 2 mentees", "1 mentee and 1 mentor offer")
		noah := e.join("noah", "reviewer", "SIG CLI", "Asia/Tokyo")
		wantIn(t, "noah's comment", e.onlyComment(t, noah.Number), "2 mentees and 1 mentor offer")
		olga := e.join("olga", "Approver", "SIG CLI", "UTC")
		wantIn(t, "olga's comment", e.onlyComment(t, olga.Number), "1 mentee and 0 mentor offers")
		for _, n := range []int{mia.Number, ann.Number, noah.Number, olga.Number} {
			if is := e.Sim.Issue(repo, n); is.State != "open" {
				t.Errorf("#%d is %s; a waitlist issue stays open", n, is.State)
			}
		}
		// A mentor offer without capacity takes mentees_per_mentor.
		ben := e.offer("mentor-ben", "Member", "SIG Docs", "UTC", "")
		wantIn(t, "ben's comment", e.onlyComment(t, ben.Number), "up to 3 mentees")
	})
}

// TestWaitlistBadInput: every kind of bad form answer gets one clear
// message in one comment and cohort/needs-fixes, and nothing is recorded
// (a request for the same step and area lists nobody); fixing the issue
// edits that same comment, drops cohort/needs-fixes and adds the waitlist
// label.
func TestWaitlistBadInput(t *testing.T) {
	tests := []struct {
		name, body, fixed, want string
	}{
		{"unknown ladder step", interestForm("Wizard", "SIG Apps", "UTC"), interestForm("Reviewer", "SIG Apps", "UTC"),
			`"Wizard" is not a ladder step`},
		{"time zone not IANA", interestForm("Reviewer", "SIG Apps", "CEST"), interestForm("Reviewer", "SIG Apps", "Europe/Paris"),
			`"CEST" is not an IANA time zone name`},
		{"time zone Local", interestForm("Reviewer", "SIG Apps", "Local"), interestForm("Reviewer", "SIG Apps", "UTC"),
			`"Local" depends on the server`},
		{"no areas", interestForm("Reviewer", "", "UTC"), interestForm("Reviewer", "SIG Apps", "UTC"),
			"SIGs or areas is required"},
		{"capacity not a number", offerForm("Reviewer", "SIG Apps", "UTC", "three"), offerForm("Reviewer", "SIG Apps", "UTC", "3"),
			`"three" is not a number`},
		{"capacity out of range", offerForm("Reviewer", "SIG Apps", "UTC", "40"), offerForm("Reviewer", "SIG Apps", "UTC", "1"),
			"40 mentees is outside 1 to 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start(t, func(e *env) {
				is := e.Sim.OpenIssue("uma", repo, "Waitlist", tt.body)
				e.idle()
				got := e.Sim.Issue(repo, is.Number)
				body := e.onlyComment(t, is.Number)
				wantIn(t, "the report", body, "needs fixes", tt.want, "@uma, cohortbot found 1 problem with this ")
				wantNotIn(t, "the report", body, "request", "this this")
				wantLabels(t, got, []string{"cohort/needs-fixes"}, []string{"waitlist/mentee", "waitlist/mentor"})
				// Nothing recorded: a matching request's report lists nobody.
				req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(), "End date", "")), "cohort/request")
				e.idle()
				wantNotIn(t, "the request's report", e.onlyComment(t, req.Number), "From the waitlist", "@uma")

				e.Sim.EditIssueBody("uma", repo, is.Number, tt.fixed)
				e.idle()
				got = e.Sim.Issue(repo, is.Number)
				wantIn(t, "the edited comment", e.onlyComment(t, is.Number), "✅")
				wantLabels(t, got, nil, []string{"cohort/needs-fixes"})
				if !has(got.Labels, "waitlist/mentee") && !has(got.Labels, "waitlist/mentor") {
					t.Errorf("fixed issue labels %v, want a waitlist label", got.Labels)
				}
			})
		})
	}
}

// TestWaitlistDuplicate: a person's second open interest is answered with
// a link to the first and closed as a duplicate (GitHub's state_reason
// "duplicate"), once across redeliveries; an offer by the same person is
// not a duplicate of an interest.
func TestWaitlistDuplicate(t *testing.T) {
	start(t, func(e *env) {
		first := e.join("mia", "Reviewer", "SIG Apps", "UTC")
		second := e.join("mia", "Approver", "SIG CLI", "UTC")
		if second.State != "closed" || second.StateReason != "duplicate" {
			t.Errorf("second interest is %s/%s, want closed/duplicate", second.State, second.StateReason)
		}
		wantIn(t, "the duplicate's comment", e.onlyComment(t, second.Number), "#"+strconv.Itoa(first.Number), "duplicate")
		if f := e.Sim.Issue(repo, first.Number); f.State != "open" || len(e.botComments(first.Number)) != 1 {
			t.Errorf("first interest is %s with %d bot comments; want open and untouched", f.State, len(e.botComments(first.Number)))
		}
		for _, d := range e.Sim.Deliveries() {
			e.Sim.Redeliver(d.ID)
		}
		e.idle()
		e.onlyComment(t, second.Number)
		offer := e.offer("mia", "Member", "SIG Apps", "UTC", "1")
		if offer.State != "open" || !has(offer.Labels, "waitlist/mentor") {
			t.Errorf("mia's offer is %s %v; an offer is not a duplicate of an interest", offer.State, offer.Labels)
		}
		// A request lists the first interest, not the second.
		req := e.Sim.OpenIssue(organizer, repo, "New cohort", form(with(validFields(), "End date", "", "Mentees", "@noah")), "cohort/request")
		e.idle()
		body := e.onlyComment(t, req.Number)
		wantIn(t, "the request's report", body, "`@mia`", "#"+strconv.Itoa(first.Number))
		wantNotIn(t, "the request's report", body, "#"+strconv.Itoa(second.Number)+" |")
	})
}

// TestWaitlistDuplicateRace: two interests of one person filed at once
// (their deliveries handled by concurrent workers) leave exactly one on
// the waitlist and the other closed as its duplicate, linking it.
func TestWaitlistDuplicateRace(t *testing.T) {
	start(t, func(e *env) {
		var nums []int
		for i := 0; i < 3; i++ {
			nums = append(nums, e.Sim.OpenIssue("mia", repo, "Join", interestForm("Reviewer", "SIG Apps", "UTC")).Number)
		}
		e.idle()
		var open []int
		for _, n := range nums {
			if e.Sim.Issue(repo, n).State == "open" {
				open = append(open, n)
			}
		}
		if len(open) != 1 {
			t.Fatalf("open interests %v, want exactly one", open)
		}
		for _, n := range nums {
			is := e.Sim.Issue(repo, n)
			if n == open[0] {
				wantLabels(t, is, []string{"waitlist/mentee"}, nil)
				continue
			}
			if is.StateReason != "duplicate" {
				t.Errorf("#%d is %s/%s, want closed as duplicate", n, is.State, is.StateReason)
			}
			wantIn(t, "the duplicate's comment", e.onlyComment(t, n), "#"+strconv.Itoa(open[0]))
		}
	})
}
