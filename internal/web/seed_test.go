package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// Repositories of the seeded program.
const (
	publicRepo  = "kubernetes/community"
	privateRepo = "acme/secret-mentoring"
	secretText  = "TOPSECRET-roadmap"
)

// seedCohort describes one cohort to store the way the bot stores it.
type seedCohort struct {
	id           int64
	repo         string
	spec         cohort.Spec
	state        string
	boundaryDone int
	checkins     map[string][]int // mentee -> weeks
	aways        map[string][]int
	skipped      []int
	graduated    []string
	text         string // every check-in's text
}

func spec(name, slug, step string, mentees ...string) cohort.Spec {
	s := cohort.Spec{Name: name, Slug: slug, Step: step, Mentors: []string{"mentor-ann"},
		Start: cohort.Date{Year: 2027, Month: 1, Day: 4}, End: cohort.Date{Year: 2027, Month: 2, Day: 14},
		CheckinDay: time.Monday, TimeZone: "UTC", Areas: []string{"sig-apps"}}
	for _, m := range mentees {
		s.Mentees = append(s.Mentees, cohort.Mentee{Handle: m, Mentor: "mentor-ann"})
	}
	return s
}

// program is the seeded program: an active and a completed cohort in a
// public repository, and an active one in a private repository.
func program() []seedCohort {
	return []seedCohort{
		{id: 101, repo: publicRepo, spec: spec("SIG Apps reviewers", "sig-apps-2027", cohort.StepReviewer, "bob", "carol", "dave"),
			state: store.StateActive, boundaryDone: 3,
			checkins: map[string][]int{"bob": {1, 2, 3}, "carol": {1, 3}, "dave": {1}},
			aways:    map[string][]int{"dave": {2}}, skipped: []int{4}, graduated: []string{"bob"}, text: "reviewed 3 PRs"},
		{id: 102, repo: publicRepo, spec: spec("SIG Node members", "sig-node-2026", cohort.StepMember, "erin", "frank"),
			state: store.StateCompleted, boundaryDone: 6,
			checkins: map[string][]int{"erin": {1, 2, 3, 4, 5, 6}, "frank": {1, 2}}, graduated: []string{"erin"}, text: "fixed a flake"},
		{id: 201, repo: privateRepo, spec: spec("Acme approvers", "acme-2027", cohort.StepApprover, "gina"),
			state: store.StateActive, boundaryDone: 2, checkins: map[string][]int{"gina": {1, 2}}, text: secretText},
	}
}

// seed stores the cohorts and the repositories' visibility.
func seed(t testing.TB, st *store.Store, cs []seedCohort) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SetRepoPrivate(ctx, publicRepo, false))
	must(st.SetRepoPrivate(ctx, privateRepo, true))
	for i, c := range cs {
		_, _, err := st.CreateCohort(ctx, store.Cohort{ID: c.id, InstallationID: 1, Repo: c.repo, RequestNumber: 1 + i*20,
			Spec: c.spec, CreatedAt: time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)})
		must(err)
		must(st.SetHubNumber(ctx, c.id, 2+i*20))
		for j, m := range c.spec.Mentees {
			must(st.SetMenteeIssue(ctx, c.id, m.Handle, 3+i*20+j))
		}
		must(st.SetState(ctx, c.id, c.state))
		must(st.SetSchedule(ctx, c.id, c.boundaryDone, time.Time{}))
		for m, weeks := range c.checkins {
			for _, w := range weeks {
				_, err := st.RecordCheckin(ctx, store.Checkin{CohortID: c.id, Mentee: m, Week: w, CommentID: c.id*1000 + int64(w),
					CommentURL: fmt.Sprintf("https://github.com/%s/issues/1#issuecomment-%d", c.repo, c.id*1000+int64(w)),
					Author:     m, Sections: []store.Section{{Name: "Accomplishments", Text: c.text}},
					CreatedAt: time.Date(2027, 1, 4+7*(w-1), 12, 0, 0, 0, time.UTC)})
				must(err)
			}
		}
		for m, weeks := range c.aways {
			must(st.AddAway(ctx, c.id, m, weeks...))
		}
		for _, w := range c.skipped {
			must(st.SkipWeek(ctx, c.id, w))
		}
		for _, g := range c.graduated {
			must(st.SaveRoster(ctx, c.id, c.spec, store.Member{Handle: g, Role: store.RoleMentee, Mentor: "mentor-ann",
				Status: store.StatusActive, Outcome: store.OutcomeGraduated, JoinedWeek: 1}))
		}
	}
	must(st.PutTask(ctx, store.Task{Repo: "kubernetes/kubernetes", Number: 4711, InstallationID: 1, Kind: store.KindPR,
		Title: "Review the scheduler change", URL: "https://github.com/kubernetes/kubernetes/pull/4711", Label: "good-first-review",
		CohortID: 101, Mentor: "mentor-ann", Mentee: "carol", State: store.TaskOpen, Round: 1, Seq: 1,
		CreatedAt: time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)}))
}
