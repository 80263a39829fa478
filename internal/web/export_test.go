package web

import (
	"encoding/base64"

	"github.com/cohortbot/cohortbot/internal/store"
)

// SignedSessionForTest signs a raw session payload with h's key.
func (h *Handler) SignedSessionForTest(payload string) string {
	p := base64.RawURLEncoding.EncodeToString([]byte(payload))
	return p + "." + h.sign(p)
}

// FiguresForTest are a cohort's figures as its page computes them, from
// the board's cell states, in the overview's terms.
func FiguresForTest(a *store.Attendance, weeks, boundaryDone int) store.CohortFigures {
	f := a.Model(weeks, boundaryDone, false).Figures()
	return store.CohortFigures{Mentees: f.Mentees, Graduated: f.Graduated, Checked: f.Checked, Missed: f.Expected - f.Checked}
}
