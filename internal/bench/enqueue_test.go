package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
)

// BenchmarkEnqueueDelivery is the durable half of a relevant delivery's
// acknowledgement alone: the delivery and its job stored in SQLite, with no
// workers competing for the connection. Serial: one delivery per
// transaction. Parallel: 16 at once, as the bench's sustained phase sends
// them, which the intake's group commit stores several to a transaction.
func BenchmarkEnqueueDelivery(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		q := benchQueue(b)
		payload := benchPayload()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := q.EnqueueDelivery(context.Background(), "issue_comment", fmt.Sprintf("id-%d", i), payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel16", func(b *testing.B) {
		q := benchQueue(b)
		payload := benchPayload()
		var n atomic.Int64
		b.SetParallelism(8) // × GOMAXPROCS 2
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				id := fmt.Sprintf("id-%d", n.Add(1))
				if _, err := q.EnqueueDelivery(context.Background(), "issue_comment", id, payload); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func benchQueue(b *testing.B) *queue.Queue {
	st, err := store.Open(context.Background(), "sqlite://"+filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	q, err := queue.New(st, queue.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return q
}

// benchPayload is a 15 KB JSON document, the size of a check-in's
// issue_comment delivery.
func benchPayload() []byte {
	payload := make([]byte, 15000)
	for i := range payload {
		payload[i] = 'a'
	}
	payload[0], payload[len(payload)-1] = '"', '"'
	return payload
}
