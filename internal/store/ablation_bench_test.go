package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// The ablation benchmarks (issue 14): each throughput aid of the SQLite
// store ON against OFF, on the intake's own transaction — the delivery row
// with its payload and River's job, as internal/queue stores them. Run the
// variants interleaved (a compiled test binary in a loop, see
// docs/PERFORMANCE.md) and compare medians.

// ablationArgs has the shape of queue.DeliveryArgs (the queue package
// imports this one).
type ablationArgs struct {
	Event      string `json:"event"`
	DeliveryID string `json:"delivery_id"`
}

func (ablationArgs) Kind() string { return "github_delivery" }

// ablationStore opens a migrated SQLite store with o and an insert-only
// River client on it.
func ablationStore(b *testing.B, o sqliteOptions) (*Store, *river.Client[*sql.Tx]) {
	b.Helper()
	s, err := openSQLite(filepath.Join(b.TempDir(), "a.db"), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	if err := s.migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	c, err := river.NewClient(riversqlite.New(s.DB), &river.Config{})
	if err != nil {
		b.Fatal(err)
	}
	return s, c
}

// ablationIntake stores n deliveries and their jobs in one transaction, as
// the intake's group commit does; next numbers the delivery ids.
func ablationIntake(ctx context.Context, s *Store, c *river.Client[*sql.Tx], next *int, n int, payload []byte) error {
	ds := make([]Delivery, n)
	for i := range ds {
		*next++
		ds[i] = Delivery{ID: fmt.Sprintf("d-%09d", *next), Event: "issue_comment", Payload: payload}
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	fresh, err := s.RecordDeliveries(ctx, tx, ds)
	if err != nil {
		return err
	}
	ps := make([]river.InsertManyParams, 0, len(fresh))
	for _, d := range ds {
		ps = append(ps, river.InsertManyParams{Args: ablationArgs{Event: d.Event, DeliveryID: d.ID}})
	}
	if _, err := c.InsertManyTx(ctx, tx, ps); err != nil {
		return err
	}
	return tx.Commit()
}

// ablationPayload is 15 KB of JSON, a check-in's issue_comment delivery.
func ablationPayload() []byte {
	p := make([]byte, 15000)
	for i := range p {
		p[i] = 'a'
	}
	p[0], p[len(p)-1] = '"', '"'
	return p
}

// BenchmarkAblationStmtCache: the prepared-statement cache against the plain
// modernc driver. batch1 is a lone delivery per transaction (the idle
// intake), batch16 sixteen (what 16 connections' group commit gathers);
// ns/op is per delivery. worker adds what a worker reads and writes of the
// delivery afterwards (payload read, payload cleared).
func BenchmarkAblationStmtCache(b *testing.B) {
	for _, v := range []struct {
		name string
		o    sqliteOptions
	}{{"cache", sqliteOptions{}}, {"plain", sqliteOptions{noStmtCache: true}}} {
		for _, n := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/batch%d", v.name, n), func(b *testing.B) {
				benchIntake(b, v.o, n, false)
			})
		}
		b.Run(v.name+"/worker", func(b *testing.B) { benchIntake(b, v.o, 1, true) })
	}
}

func benchIntake(b *testing.B, o sqliteOptions, n int, worker bool) {
	ctx := context.Background()
	s, c := ablationStore(b, o)
	payload := ablationPayload()
	next := 0
	defer reportCPU(b)()
	b.ResetTimer()
	for i := 0; i < b.N; i += n {
		if err := ablationIntake(ctx, s, c, &next, min(n, b.N-i), payload); err != nil {
			b.Fatal(err)
		}
		if worker {
			id := fmt.Sprintf("d-%09d", next)
			if _, err := s.DeliveryPayload(ctx, id); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Exec(ctx, `UPDATE deliveries SET payload = NULL WHERE id = ?`, id); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSustainedIntake: a sustained stream of lone intake transactions
// (15 KB each), SQLite checkpointing inside the COMMIT that fills the WAL
// past 1,000 pages. Reports each transaction's latency p50, p99 and max, and
// the largest WAL seen. Run with a fixed count (-benchtime 4000x: 60 MB).
// A background checkpointer was measured against this and removed
// (docs/PERFORMANCE.md, "Session 5").
func BenchmarkSustainedIntake(b *testing.B) {
	for _, v := range []struct {
		name string
		o    sqliteOptions
	}{{"incommit", sqliteOptions{}}} {
		b.Run(v.name, func(b *testing.B) {
			ctx := context.Background()
			s, c := ablationStore(b, v.o)
			wal := filepath.Join(filepath.Dir(s.Location[len("sqlite:"):]), "a.db-wal")
			payload := ablationPayload()
			lat := make([]time.Duration, 0, b.N)
			var maxWAL int64
			next := 0
			defer reportCPU(b)()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if err := ablationIntake(ctx, s, c, &next, 1, payload); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				if i%64 == 0 {
					if fi, err := os.Stat(wal); err == nil {
						maxWAL = max(maxWAL, fi.Size())
					}
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(q(1), "max-ms")
			b.ReportMetric(float64(maxWAL)/(1<<20), "maxWAL-MB")
		})
	}
}

// BenchmarkAblationStmtCacheWorkers: the other side of the statement cache,
// River's workers: b.N delivery jobs stored beforehand, then worked by 4
// workers (fetch, the worker's payload read and clear, completion) until
// all are completed. ns/op is per job worked. The fetch cooldown is cut to
// 1 ms and 16 workers run, so that River's pacing does not hide the cost
// of its statements.
func BenchmarkAblationStmtCacheWorkers(b *testing.B) {
	for _, v := range []struct {
		name string
		o    sqliteOptions
	}{{"cache", sqliteOptions{}}, {"plain", sqliteOptions{noStmtCache: true}}} {
		b.Run(v.name, func(b *testing.B) { benchWorkers(b, v.o) })
	}
}

func benchWorkers(b *testing.B, o sqliteOptions) {
	ctx := context.Background()
	s, ins := ablationStore(b, o)
	payload := ablationPayload()
	next := 0
	for i := 0; i < b.N; i += 64 {
		if err := ablationIntake(ctx, s, ins, &next, min(64, b.N-i), payload); err != nil {
			b.Fatal(err)
		}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[ablationArgs]) error {
		if _, err := s.DeliveryPayload(ctx, j.Args.DeliveryID); err != nil {
			return err
		}
		_, err := s.Exec(ctx, `UPDATE deliveries SET payload = NULL WHERE id = ?`, j.Args.DeliveryID)
		return err
	}))
	c, err := river.NewClient(riversqlite.New(s.DB), &river.Config{
		Workers: workers, Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 16}},
		FetchCooldown: time.Millisecond, FetchPollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		b.Fatal(err)
	}
	events, cancel := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	cpuDone := reportCPU(b)
	b.ResetTimer()
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	for done := 0; done < b.N; done++ {
		if e := <-events; e.Kind != river.EventKindJobCompleted {
			b.Fatalf("job %d: %s", e.Job.ID, e.Kind)
		}
	}
	b.StopTimer()
	cpuDone()
	if err := c.Stop(ctx); err != nil {
		b.Fatal(err)
	}
}

// reportCPU measures the process's CPU time (user + system, every thread,
// background goroutines included) until the returned func runs, and
// reports it per op: on a shared machine it varies less than the wall time.
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
