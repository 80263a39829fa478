package main

import (
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// The sample request: a valid new-cohort request as the issue form renders
// it, so cohortbot answers by creating the cohort's hub and mentee issues.
var (
	sampleMentors = []string{"ana-mentor", "bo-mentor"}
	sampleMentees = []string{"dee", "eli", "fay", "gus"}
	samplePeople  = append(append([]string{}, sampleMentors...), sampleMentees...)
)

const sampleTitle = "New cohort: SIG Docs reviewers"

// sampleBody is the form's submission for a ten-week cohort starting the
// Monday after now, with CRLF line endings as bodies submitted from the web.
func sampleBody(now time.Time) string {
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	for start.Weekday() != time.Monday {
		start = start.AddDate(0, 0, 1)
	}
	fields := [][2]string{
		{"Cohort name", "SIG Docs reviewers " + start.Format("2006")},
		{"Ladder step", "Reviewer"},
		{"SIGs or areas", "SIG Docs"},
		{"Mentors", "@" + strings.Join(sampleMentors, "\n@")},
		{"Mentees", "@dee -> @ana-mentor\n@eli -> @ana-mentor\n@fay -> @bo-mentor\n@gus"},
		{"Start date", start.Format("2006-01-02")},
		{"End date", start.AddDate(0, 0, 7*10-1).Format("2006-01-02")},
		{"Check-in day", "Monday"},
		{"Time zone", "UTC"},
		{"Chat channel", "#sig-docs-cohort"},
		{"Notes", "_No response_"},
	}
	var pairs []string
	for _, f := range fields {
		pairs = append(pairs, f[0], f[1])
	}
	return cohort.CRLF(cohort.Submission(pairs...))
}
