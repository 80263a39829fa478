package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
)

// BenchmarkEnqueueDelivery is the durable half of a relevant delivery's
// acknowledgement alone: the delivery id and its job in one SQLite
// transaction, with no workers competing for the connection.
func BenchmarkEnqueueDelivery(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	q, err := queue.New(st, queue.Options{})
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 15000)
	for i := range payload {
		payload[i] = 'a'
	}
	payload[0], payload[len(payload)-1] = '"', '"'
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := q.EnqueueDelivery(ctx, "issue_comment", fmt.Sprintf("id-%d", i), payload); err != nil {
			b.Fatal(err)
		}
	}
}
