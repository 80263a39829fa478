package queue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

func open(t *testing.T, url string) (*store.Store, *queue.Queue) {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	q, err := queue.New(st, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st, q
}

// TestEnqueueDeliveryConcurrent: deliveries arriving at once (stored by
// the group commit, several to a transaction) each get their row, their
// payload and one job that carries no payload; a redelivered id gets
// neither.
func TestEnqueueDeliveryConcurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, q := open(t, url)
		const n = 40
		fresh := make([]bool, 2*n)
		var wg sync.WaitGroup
		for i := range 2 * n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := fmt.Sprintf("d-%d", i%n) // every id twice
				ok, err := q.EnqueueDelivery(ctx, "issue_comment", id, fmt.Appendf(nil, `{"n":%d}`, i%n))
				if err != nil {
					t.Error(err)
				}
				fresh[i] = ok
			}()
		}
		wg.Wait()
		stored := 0
		for _, ok := range fresh {
			if ok {
				stored++
			}
		}
		if stored != n {
			t.Errorf("%d deliveries reported new, want %d (each id once)", stored, n)
		}
		var rows, jobs, withPayload int
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM deliveries WHERE payload IS NOT NULL`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'github_delivery'`).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		payloadArg := `json_extract(args, '$.payload') IS NOT NULL`
		if st.Dialect == store.Postgres {
			payloadArg = `args->'payload' IS NOT NULL`
		}
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE `+payloadArg).Scan(&withPayload); err != nil {
			t.Fatal(err)
		}
		if rows != n || jobs != n || withPayload != 0 {
			t.Errorf("%d rows with a payload, %d jobs, %d jobs carrying a payload; want %d, %d, 0", rows, jobs, withPayload, n, n)
		}
		p, err := st.DeliveryPayload(ctx, "d-7")
		if err != nil || string(p) != `{"n":7}` {
			t.Errorf("payload of d-7 = %q, %v", p, err)
		}
	})
}

// TestSweepPayloads: the sweep clears the old payloads whose job is over
// and keeps those of jobs still waiting, however old.
func TestSweepPayloads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, q := open(t, url)
		for _, id := range []string{"waiting", "completed", "discarded"} {
			if _, err := q.EnqueueDelivery(ctx, "issue_comment", id, []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
		}
		idArg := `json_extract(args, '$.delivery_id')`
		if st.Dialect == store.Postgres {
			idArg = `args->>'delivery_id'`
		}
		for _, state := range []string{"completed", "discarded"} {
			if _, err := st.Exec(ctx, `UPDATE river_job SET state = ?, finalized_at = CURRENT_TIMESTAMP WHERE `+idArg+` = ?`, state, state); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := st.SweepPayloads(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("sweep of recent payloads cleared %d (%v), want 0", n, err)
		}
		n, err := st.SweepPayloads(ctx, time.Now().Add(time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("sweep cleared %d (%v), want 2", n, err)
		}
		if _, err := st.DeliveryPayload(ctx, "waiting"); err != nil {
			t.Errorf("the waiting job's payload: %v", err)
		}
		if _, err := st.DeliveryPayload(ctx, "completed"); err == nil {
			t.Error("the completed job's payload is still there")
		}
	})
}
