package bench

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSmoke runs `cohortbot bench --short` end to end, with the server built
// from this tree and started as its own process. It checks that the
// benchmark works — every figure produced, every stored delivery processed —
// and never judges timing: CI machines vary too much for that.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cohortbot and drives it for about half a minute")
	}
	bin := filepath.Join(t.TempDir(), "cohortbot")
	build := exec.Command("go", "build", "-o", bin, "github.com/cohortbot/cohortbot/cmd/cohortbot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var progress bytes.Buffer
	res, err := Run(context.Background(), Options{Short: true, Binary: bin, Progress: &progress})
	if err != nil {
		t.Fatalf("bench: %v\nprogress:\n%s", err, progress.String())
	}
	figures := []struct {
		name string
		ok   bool
	}{
		{"irrelevant sustained rate", res.IrrelevantSustained.rate() > 0},
		{"irrelevant latencies at 2,000/s", res.IrrelevantAtRate.sent > 0 && res.IrrelevantAtRate.pct(0.99) > 0},
		{"check-ins sustained rate", res.CheckinSustained.rate() > 0},
		{"check-in latencies at 300/s", res.CheckinAtRate.sent > 0 && res.CheckinAtRate.pct(0.99) > 0},
		{"delivery → 👍", res.React.sent > 0 && res.React.pct(0.5) > 0},
		{"requests per check-in alone", res.RequestsAlone > 0},
		{"requests per check-in in a burst", res.RequestsBurst > 0 && res.BurstSize > 1},
		{"tick over 1,000 cohorts", res.Tick.cohorts == 1000 && res.Tick.wall > 0},
		{"peak RSS", res.PeakRSS > 0},
		{"server CPU per delivery", res.IrrelevantCPU > 0 && res.CheckinCPU > 0},
		{"deliveries stored and processed", res.Stored > 0 && res.Processed == res.Stored},
	}
	for _, f := range figures {
		if !f.ok {
			t.Errorf("figure missing: %s", f.name)
		}
	}
	var table bytes.Buffer
	res.Print(&table)
	if got := strings.Count(table.String(), "\n| "); got != len(res.Rows()) {
		t.Errorf("table has %d rows, want %d:\n%s", got, len(res.Rows()), table.String())
	}
	t.Logf("\n%s", table.String())
}
