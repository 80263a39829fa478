package queue

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// BenchmarkAblationGroupCommit (issue 14): the intake's group commit
// (batches of up to maxBatch) against one transaction per delivery, with 32
// goroutines calling EnqueueDelivery at once on a real SQLite store, 15 KB
// payloads. ns/op is per delivery stored. Run the two interleaved (a
// compiled test binary in a loop, see docs/PERFORMANCE.md) and compare
// medians.
func BenchmarkAblationGroupCommit(b *testing.B) {
	for _, v := range []struct {
		name  string
		limit int
	}{{"batch64", 0}, {"batch1", 1}} {
		b.Run(v.name, func(b *testing.B) {
			st, err := store.Open(context.Background(), "sqlite://"+filepath.Join(b.TempDir(), "g.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(st.Close)
			q, err := New(st, Options{})
			if err != nil {
				b.Fatal(err)
			}
			q.intake.limit = v.limit
			payload := make([]byte, 15000)
			for i := range payload {
				payload[i] = 'a'
			}
			payload[0], payload[len(payload)-1] = '"', '"'
			var n atomic.Int64
			b.SetParallelism(16) // × GOMAXPROCS 2: 32 goroutines
			defer reportCPU(b)()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id := fmt.Sprintf("id-%d", n.Add(1))
					fresh, err := q.EnqueueDelivery(context.Background(), "issue_comment", id, payload)
					if err != nil || !fresh {
						b.Errorf("enqueue %s: fresh %v, %v", id, fresh, err)
						return
					}
				}
			})
		})
	}
}

// reportCPU measures the process's CPU time (user + system, every thread)
// until the returned func runs, and reports it per op: on a shared machine
// it varies less than the wall time.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64((cpu()-start).Microseconds())/float64(b.N), "cpu-us/op") }
}
