package bench

import (
	"strings"
	"testing"
)

// TestSweepRow: the table's ladder-sweep figure is the search pacer's
// schedule for 300 searches: 9 minutes from the first to the last (ten
// windows of 30), within GitHub's 30 a minute.
func TestSweepRow(t *testing.T) {
	r := sweepRow()
	if r.Measured != "300 / 9m0s" || !strings.Contains(r.Met, "yes") {
		t.Errorf("sweep row %+v, want 300 / 9m0s within the limit", r)
	}
}
