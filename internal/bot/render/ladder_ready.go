package render

import (
	"strings"

	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
)

// rowsOf turns a mentee's stored measurements into the rows shown, in the
// order of config.Requirements, and reports whether any is still pending.
func RowsOf(ms []store.Measurement, handle string) ([]ladder.Row, bool) {
	var rows []ladder.Row
	pending := false
	for _, m := range ms {
		if !strings.EqualFold(m.Handle, handle) {
			continue
		}
		pending = pending || m.Pending
		rows = append(rows, ladder.Row{Requirement: m.Requirement, Target: m.Target, Total: m.Total,
			Incomplete: m.Incomplete, Failure: m.Failure, Query: m.Query, Measured: m.Measured})
	}
	return rows, pending
}
