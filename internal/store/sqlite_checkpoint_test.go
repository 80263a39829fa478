package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestWALStaysBounded: with the checkpoints out of the writers' way, a
// sustained stream of writes never leaves the WAL a moment to start over by
// itself; the checkpointer must still keep it from growing without bound.
func TestWALStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a few hundred megabytes")
	}
	ctx := context.Background()
	url := testdb.SQLite(t)
	s := open(t, url)
	wal := strings.TrimPrefix(url, "sqlite://") + "-wal"
	value := string(bytes.Repeat([]byte("x"), 16<<10))
	var written, maxWAL atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// 8 writers of 16 KB rows, 2,400 a second in all (~40 MB/s): more than
	// the bench's sustained check-ins write.
	start := time.Now()
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if wait := time.Until(start.Add(time.Duration(i) * time.Second / 300)); wait > 0 {
					time.Sleep(wait)
				}
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Exec(ctx, `INSERT INTO effects (key, state, value, updated_at) VALUES (?, 'done', ?, 0)`,
					fmt.Sprintf("%d-%d", w, i), value); err != nil {
					t.Error(err)
					return
				}
				written.Add(int64(len(value)))
			}
		}()
	}
	for time.Since(start) < 4*time.Second {
		time.Sleep(20 * time.Millisecond)
		if fi, err := os.Stat(wal); err == nil && fi.Size() > maxWAL.Load() {
			maxWAL.Store(fi.Size())
		}
	}
	close(stop)
	wg.Wait()
	const bound = 48 << 20
	if written.Load() < 2*bound {
		t.Skipf("only %d MB written: too slow a machine to tell", written.Load()>>20)
	}
	t.Logf("%d MB written, the WAL at most %d MB", written.Load()>>20, maxWAL.Load()>>20)
	if maxWAL.Load() > bound {
		t.Errorf("WAL grew to %d MB while %d MB were written, want at most %d MB", maxWAL.Load()>>20, written.Load()>>20, bound>>20)
	}
}
