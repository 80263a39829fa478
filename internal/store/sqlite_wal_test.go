package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestWALStaysBounded: a stream of 128 MB of writes, each row its own
// transaction, keeps the WAL within a bound: SQLite checkpoints in the
// COMMIT that fills it past 1,000 pages and the next write starts it over.
// No timing: a slow or busy machine gives the same answer.
func TestWALStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 128 MB")
	}
	ctx := context.Background()
	url := testdb.SQLite(t)
	s := open(t, url)
	wal := strings.TrimPrefix(url, "sqlite://") + "-wal"
	value := string(bytes.Repeat([]byte("x"), 16<<10))
	const (
		bound   = 32 << 20
		batch   = 128 // rows of 16 KB: 2 MB of values, each row its own transaction
		batches = 64  // 128 MB in all
	)
	var maxWAL int64
	for b := range batches {
		for i := range batch {
			if _, err := s.Exec(ctx, `INSERT INTO effects (key, state, value, updated_at) VALUES (?, 'done', ?, 0)`,
				fmt.Sprintf("%d-%d", b, i), value); err != nil {
				t.Fatal(err)
			}
		}
		fi, err := os.Stat(wal)
		if err != nil {
			t.Fatal(err)
		}
		maxWAL = max(maxWAL, fi.Size())
	}
	t.Logf("%d MB written, the WAL at most %d MB", batches*batch*len(value)>>20, maxWAL>>20)
	if maxWAL > bound {
		t.Errorf("WAL grew to %d MB while %d MB were written, want at most %d MB", maxWAL>>20, batches*batch*len(value)>>20, bound>>20)
	}
}
