package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
)

// fakeStore records the batches it is given; each call waits for a value
// on release when release is set.
type fakeStore struct {
	mu      sync.Mutex
	batches [][]string
	seen    map[string]bool
	release chan struct{}
	bad     string // an id the "database" refuses
}

func (f *fakeStore) store(_ context.Context, ds []store.Delivery) (map[string]bool, error) {
	if f.release != nil {
		<-f.release
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	f.batches = append(f.batches, ids)
	for _, d := range ds {
		if d.ID == f.bad {
			return nil, fmt.Errorf("refused %s", d.ID) // rolled back: nothing stored
		}
	}
	fresh := map[string]bool{}
	for _, d := range ds {
		if !f.seen[d.ID] {
			f.seen[d.ID] = true
			fresh[d.ID] = true
		}
	}
	return fresh, nil
}

// TestGroupCommitAnswersAfterCommit: the requests that arrive while a
// transaction runs are stored together in the next one, and none is
// answered before the transaction holding it has returned.
func TestGroupCommitAnswersAfterCommit(t *testing.T) {
	f := &fakeStore{seen: map[string]bool{}, release: make(chan struct{})}
	b := &batcher{store: f.store}
	answered := make(chan string, 20)
	enqueue := func(id string) {
		if _, err := b.enqueue(context.Background(), store.Delivery{ID: id}); err != nil {
			t.Error(err)
		}
		answered <- id
	}
	go enqueue("first")
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.waiting) == 0 && b.running })
	// "first" is in its transaction (blocked on release); ten more arrive.
	for i := range 10 {
		go enqueue(fmt.Sprintf("d%d", i))
	}
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.waiting) == 10 })
	select {
	case id := <-answered:
		t.Fatalf("%s answered before any transaction committed", id)
	case <-time.After(20 * time.Millisecond):
	}
	f.release <- struct{}{} // commits "first"
	if id := <-answered; id != "first" {
		t.Fatalf("answered %s first, want first", id)
	}
	select {
	case id := <-answered:
		t.Fatalf("%s answered before its transaction committed", id)
	case <-time.After(20 * time.Millisecond):
	}
	f.release <- struct{}{} // commits the ten together
	for range 10 {
		<-answered
	}
	if len(f.batches) != 2 || len(f.batches[1]) != 10 {
		t.Errorf("batches = %v, want [first] then the ten in one", f.batches)
	}
}

// TestGroupCommitDuplicatesAndFailures: an id twice in one batch is stored
// once; a delivery the database refuses fails alone.
func TestGroupCommitDuplicatesAndFailures(t *testing.T) {
	f := &fakeStore{seen: map[string]bool{"old": true}, release: make(chan struct{}, 100), bad: "bad"}
	b := &batcher{store: f.store}
	ids := []string{"a", "a", "old", "bad", "b"}
	type answer struct {
		fresh bool
		err   bool
	}
	got := make([]answer, len(ids))
	// Hold the first transaction so that all of ids gather in one batch.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = b.enqueue(context.Background(), store.Delivery{ID: "warmup"}) }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running && len(b.waiting) == 0 })
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fresh, err := b.enqueue(context.Background(), store.Delivery{ID: id})
			got[i] = answer{fresh, err != nil}
		}()
	}
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.waiting) == len(ids) })
	for range 20 {
		f.release <- struct{}{}
	}
	wg.Wait()
	fresh := map[string]int{}
	for i, id := range ids {
		if got[i].fresh {
			fresh[id]++
		}
	}
	if diff := cmp.Diff(map[string]int{"a": 1, "b": 1}, fresh); diff != "" {
		t.Errorf("fresh deliveries (-want +got):\n%s", diff)
	}
	for i, id := range ids {
		if got[i].err != (id == "bad") {
			t.Errorf("%s: error %v, want an error only for the refused delivery", id, got[i].err)
		}
	}
}

// TestGroupCommitCallerGone: a request whose context ends stops waiting;
// the batch still commits for the others.
func TestGroupCommitCallerGone(t *testing.T) {
	f := &fakeStore{seen: map[string]bool{}, release: make(chan struct{}, 10)}
	b := &batcher{store: f.store}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := b.enqueue(ctx, store.Delivery{ID: "gone"}); errc <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	f.release <- struct{}{}
	f.release <- struct{}{}
	if fresh, err := b.enqueue(context.Background(), store.Delivery{ID: "next"}); !fresh || err != nil {
		t.Fatalf("next: fresh %v, err %v", fresh, err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}
