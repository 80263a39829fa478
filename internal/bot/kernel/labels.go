package kernel

import (
	"fmt"

	"github.com/cohortbot/cohortbot/internal/gh"
)

// Labels the bot reads or writes, exactly as SPEC names them.
const (
	LabelRequest      = "cohort/request"
	LabelNeedsFixes   = "cohort/needs-fixes"
	LabelHub          = "cohort/hub"
	LabelActive       = "cohort/active"
	LabelCompleted    = "cohort/completed"
	LabelMentee       = "cohort/mentee"
	LabelMissed       = "checkin/missed"
	LabelAtRisk       = "mentee/at-risk"
	LabelGraduated    = "outcome/graduated"
	LabelWithdrawn    = "outcome/withdrawn"
	LabelNotGraduated = "outcome/not-graduated"
	LabelTask         = "mentoring/task"
	LabelLadderReady  = "ladder/ready"
)

// InCohortLabel is the label tying an issue to cohort slug.
func InCohortLabel(slug string) string { return "in-cohort/" + slug }

// WeekLabel is the label of a recorded check-in for week n.
func WeekLabel(n int) string { return fmt.Sprintf("checkin/week-%d", n) }

var labelInfo = map[string]gh.LabelSpec{
	LabelRequest:      {Color: "c5def5", Description: "A request for a new mentoring cohort (cohortbot)"},
	LabelNeedsFixes:   {Color: "d93f0b", Description: "The cohort request has problems to fix (cohortbot)"},
	LabelHub:          {Color: "5319e7", Description: "A mentoring cohort's hub issue (cohortbot)"},
	LabelActive:       {Color: "0e8a16", Description: "Part of a running mentoring cohort (cohortbot)"},
	LabelCompleted:    {Color: "bfdadc", Description: "Part of a finished mentoring cohort (cohortbot)"},
	LabelMentee:       {Color: "1d76db", Description: "A mentee's tracking issue (cohortbot)"},
	LabelMissed:       {Color: "fbca04", Description: "The mentee missed the last week's check-in (cohortbot)"},
	LabelAtRisk:       {Color: "b60205", Description: "Two missed check-ins in a row (cohortbot)"},
	LabelGraduated:    {Color: "0e8a16", Description: "Graduated to the next ladder step (cohortbot)"},
	LabelWithdrawn:    {Color: "cccccc", Description: "Withdrew from the cohort (cohortbot)"},
	LabelNotGraduated: {Color: "e4e669", Description: "Finished the cohort without graduating yet (cohortbot)"},
	LabelTask:         {Color: "c2e0c6", Description: "A mentoring task handed to a mentee (cohortbot)"},
	// The waitlist's labels (SPEC §11; names in internal/waitlist).
	"cohort/interest":     {Color: "bfd4f2", Description: "Interest in joining a mentoring cohort (cohortbot)"},
	"cohort/mentor-offer": {Color: "d4c5f9", Description: "An offer to mentor a cohort (cohortbot)"},
	"waitlist/mentee":     {Color: "0052cc", Description: "On the waitlist for a mentoring cohort (cohortbot)"},
	"waitlist/mentor":     {Color: "5319e7", Description: "Offers to mentor; on the mentors' waitlist (cohortbot)"},
	"cohort/draft":        {Color: "fef2c0", Description: "A proposed cohort; an organizer adds cohort/request to submit it (cohortbot)"},
	LabelLadderReady:      {Color: "0e8a16", Description: "Every ladder requirement measured is met: ready to nominate (cohortbot)"},
}

// labelSpecs returns the creation specs (colour, description) of names.
func LabelSpecs(names ...string) []gh.LabelSpec {
	out := make([]gh.LabelSpec, 0, len(names))
	for _, n := range names {
		s, ok := labelInfo[n]
		switch {
		case ok:
		case len(n) > 10 && n[:10] == "in-cohort/":
			s = gh.LabelSpec{Color: "d4c5f9", Description: "Belongs to mentoring cohort " + n[10:] + " (cohortbot)"}
		case len(n) > 13 && n[:13] == "checkin/week-":
			s = gh.LabelSpec{Color: "c2e0c6", Description: "Checked in for cohort week " + n[13:] + " (cohortbot)"}
		default:
			s = gh.LabelSpec{Color: "ededed", Description: "cohortbot"}
		}
		s.Name = n
		out = append(out, s)
	}
	return out
}
