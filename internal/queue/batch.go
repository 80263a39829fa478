package queue

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// maxBatch bounds how many deliveries one transaction stores.
const maxBatch = 64

// commitTimeout bounds one batch's transaction. It is not any one request's
// context: a request whose client went away must not abort the others'.
const commitTimeout = 15 * time.Second

// request is one EnqueueDelivery waiting for its batch to commit.
type request struct {
	d     store.Delivery
	fresh bool
	err   error
	done  chan struct{}
}

// storeFunc stores deliveries (ids distinct) and their jobs in one
// transaction and reports the ids that were new.
type storeFunc func(ctx context.Context, ds []store.Delivery) (map[string]bool, error)

// batcher is the group commit of the intake: concurrent deliveries are
// stored in one transaction instead of one each. SQLite has one writer and
// the store one connection, so while a transaction runs the next requests
// gather and commit together: a batch costs one BEGIN, one insert of the
// delivery rows, one insert of River's jobs and one COMMIT, whatever its
// size. Nothing waits on purpose: a lone request commits at once, alone.
// Every request is answered only after the commit that holds it.
type batcher struct {
	store storeFunc
	// limit is the most deliveries in a batch; 0 is maxBatch. Only the
	// ablation benchmark (ablation_bench_test.go) sets it, to 1.
	limit int

	mu      sync.Mutex
	waiting []*request
	running bool // a goroutine is committing batches
}

// enqueue stores d with whatever else is waiting and reports whether its id
// was new. If ctx ends first, the delivery may still be stored; the caller
// answers an error, and GitHub's redelivery is then dropped as a duplicate.
func (b *batcher) enqueue(ctx context.Context, d store.Delivery) (bool, error) {
	r := &request{d: d, done: make(chan struct{})}
	b.mu.Lock()
	b.waiting = append(b.waiting, r)
	if !b.running {
		b.running = true
		go b.run()
	}
	b.mu.Unlock()
	select {
	case <-r.done:
		return r.fresh, r.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// run commits batches until nobody waits.
func (b *batcher) run() {
	for {
		b.mu.Lock()
		n := min(len(b.waiting), cmp.Or(b.limit, maxBatch))
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		batch := b.waiting[:n:n]
		b.waiting = b.waiting[n:]
		if len(b.waiting) == 0 {
			b.waiting = nil // let the backing array go
		}
		b.mu.Unlock()
		b.commit(batch)
	}
}

// commit stores one batch and answers its requests. If the transaction
// fails and held more than one delivery, each is tried again alone, so one
// delivery the database refuses does not fail the others.
func (b *batcher) commit(batch []*request) {
	if err := b.try(batch); err != nil {
		for _, r := range batch {
			if len(batch) > 1 {
				err = b.try([]*request{r})
			}
			r.err = err
		}
	}
	for _, r := range batch {
		close(r.done)
	}
}

// try runs one transaction for batch and, when it commits, sets whether each
// request's id was new. A delivery id that appears twice in the batch is
// stored once: the later ones are duplicates, as a redelivery after the
// first's commit would be. The rows go in in id order: two replicas'
// batches on PostgreSQL then take their row locks in the same order and
// cannot deadlock over a delivery both received.
func (b *batcher) try(batch []*request) error {
	ds := make([]store.Delivery, 0, len(batch))
	first := make(map[string]bool, len(batch))
	for _, r := range batch {
		if !first[r.d.ID] {
			first[r.d.ID] = true
			ds = append(ds, r.d)
		}
	}
	slices.SortFunc(ds, func(a, b store.Delivery) int { return strings.Compare(a.ID, b.ID) })
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	fresh, err := b.store(ctx, ds)
	if err != nil {
		return err
	}
	for _, r := range batch {
		r.fresh = fresh[r.d.ID] && first[r.d.ID]
		first[r.d.ID] = false
	}
	return nil
}
