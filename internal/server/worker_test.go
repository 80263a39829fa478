package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// recorder is a handler that records the payloads it is given.
type recorder struct {
	mu   sync.Mutex
	got  map[string]string // delivery id → payload
	runs int
	err  error
}

func (r *recorder) Handles() []string { return []string{"issue_comment"} }

func (r *recorder) Relevant(string, []byte) (bool, string) { return true, "" }

func (r *recorder) Handle(_ context.Context, _, id string, payload []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs++
	if r.err != nil {
		return r.err
	}
	// Compact: PostgreSQL's jsonb spaces out the payload an earlier
	// version's job carried in its args.
	var b bytes.Buffer
	if err := json.Compact(&b, payload); err != nil {
		return err
	}
	r.got[id] = b.String()
	return nil
}

func (r *recorder) seen() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for k, v := range r.got {
		out[k] = v
	}
	return out
}

func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

// TestWorkerPayloads: a job stored by this version reads its payload from
// the delivery's row and clears it once done, so a second run of the same
// job (its completion lost in a crash) does nothing; a failed run keeps the
// payload for the retry; a cancelled one clears it.
func TestWorkerPayloads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st := openStore(t, url)
		q, err := queue.New(st, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rec := &recorder{got: map[string]string{}}
		ds := newDeliveries([]handlers.Handler{rec}, st, zerolog.Nop())
		nw := &deliveryWorker{d: ds}
		job := func(args queue.DeliveryArgs) *river.Job[queue.DeliveryArgs] {
			return &river.Job[queue.DeliveryArgs]{JobRow: &rivertype.JobRow{Attempt: 1}, Args: args}
		}
		for _, id := range []string{"new", "failing", "bad"} {
			if _, err := q.EnqueueDelivery(ctx, "issue_comment", id, fmt.Appendf(nil, `{"id":%q}`, id)); err != nil {
				t.Fatal(err)
			}
		}

		if err := nw.Work(ctx, job(queue.DeliveryArgs{Event: "issue_comment", DeliveryID: "new"})); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DeliveryPayload(ctx, "new"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("payload after the job: %v, want it cleared", err)
		}
		if err := nw.Work(ctx, job(queue.DeliveryArgs{Event: "issue_comment", DeliveryID: "new"})); err != nil || rec.runs != 1 {
			t.Errorf("second run: err %v, handler runs %d; want nil and still 1", err, rec.runs)
		}

		rec.err = errors.New("GitHub is down")
		if err := nw.Work(ctx, job(queue.DeliveryArgs{Event: "issue_comment", DeliveryID: "failing"})); err == nil {
			t.Error("a failed run returned nil")
		}
		if _, err := st.DeliveryPayload(ctx, "failing"); err != nil {
			t.Errorf("payload after a failed run: %v, want it kept for the retry", err)
		}
		rec.err = fmt.Errorf("no installation: %w", handlers.ErrBadPayload)
		var cancel *river.JobCancelError
		if err := nw.Work(ctx, job(queue.DeliveryArgs{Event: "issue_comment", DeliveryID: "bad"})); !errors.As(err, &cancel) {
			t.Errorf("bad payload: err %v, want a cancel", err)
		}
		if _, err := st.DeliveryPayload(ctx, "bad"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("payload after a cancel: %v, want it cleared", err)
		}

		want := map[string]string{"new": `{"id":"new"}`}
		if diff := cmp.Diff(want, rec.seen()); diff != "" {
			t.Errorf("payloads handled (-want +got):\n%s", diff)
		}
	})
}

// TestOlderReplicaLeavesNewJobs: during a rolling upgrade on PostgreSQL an
// older replica, with workers for other kinds but none for github_delivery,
// meets a job of that kind. It must leave the job (River retries a kind it
// has no worker for) instead of failing it as a broken payload, and a
// replica of this version then processes it. Args of a new shape must take
// a new kind for this to hold (queue.DeliveryArgs.Kind).
func TestOlderReplicaLeavesNewJobs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st := openStore(t, url)
		rec := &recorder{got: map[string]string{}}
		ds := newDeliveries([]handlers.Handler{rec}, st, zerolog.Nop())
		intake, err := queue.New(st, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := intake.EnqueueDelivery(ctx, "issue_comment", "d1", []byte(`{"v":"d1"}`)); err != nil {
			t.Fatal(err)
		}
		older := river.NewWorkers()
		river.AddWorker(older, &olderKindWorker{})
		oq, err := queue.New(st, queue.Options{Workers: older})
		if err != nil {
			t.Fatal(err)
		}
		if err := oq.Start(ctx); err != nil {
			t.Fatal(err)
		}
		var state string
		var errs int
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			err := st.QueryRow(ctx, `SELECT state, COALESCE(attempt, 0) FROM river_job WHERE kind = 'github_delivery'`).Scan(&state, &errs)
			if err == nil && errs > 0 && state != "running" {
				break
			}
		}
		if err := oq.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if errs == 0 || (state != "retryable" && state != "available" && state != "scheduled") {
			t.Fatalf("after the older replica: job state %q, attempts %d; want it tried and left to retry", state, errs)
		}
		if rec.runs != 0 {
			t.Fatalf("the older replica ran the new job %d times", rec.runs)
		}
		current := river.NewWorkers()
		river.AddWorker(current, &deliveryWorker{d: ds})
		nq, err := queue.New(st, queue.Options{Workers: current})
		if err != nil {
			t.Fatal(err)
		}
		if err := nq.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = nq.Stop(context.Background()) })
		for deadline := time.Now().Add(30 * time.Second); len(rec.seen()) < 1 && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
		}
		if diff := cmp.Diff(map[string]string{"d1": `{"v":"d1"}`}, rec.seen()); diff != "" {
			t.Errorf("payloads handled by this version (-want +got):\n%s", diff)
		}
	})
}

// olderKindArgs stands for a job kind an older replica knows; it has no
// worker for github_delivery.
type olderKindArgs struct{}

func (olderKindArgs) Kind() string { return "older_kind" }

type olderKindWorker struct {
	river.WorkerDefaults[olderKindArgs]
}

func (*olderKindWorker) Work(context.Context, *river.Job[olderKindArgs]) error { return nil }
