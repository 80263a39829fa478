package render

import (
	"github.com/cohortbot/cohortbot/internal/store"
)

// missed reports whether mentee m owed week w and did not check in.
func (st *State) Missed(m store.Member, w int) bool {
	return m.Role == store.RoleMentee && st.Att.Missed(m.Attendee(), w)
}

// mentorFor is the mentor to mention for m: the paired one, or the week's
// facilitator's turn does not matter here — any mentor of the cohort.
func (st *State) MentorFor(paired string) string {
	if paired != "" {
		return paired
	}
	return Facilitator(st.Cohort.Spec.Mentors, 1)
}
