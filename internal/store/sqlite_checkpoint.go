package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// SQLite's automatic checkpoint runs inside the COMMIT that fills the WAL
// past 1,000 pages: that commit copies the WAL into the database file and
// fsyncs it, on the one connection every intake and worker waits for. Under
// check-in load that was a stall of tens of milliseconds every few hundred
// deliveries, most of the acknowledgement p99 (issue 7). The store's
// connection turns it off (wal_autocheckpoint(0)) and a second connection of
// its own checkpoints in the background instead: a PASSIVE checkpoint never
// waits for or blocks the writer, which keeps appending to the WAL while the
// pages are copied.
//
// The WAL only starts over from a write that begins after a checkpoint
// caught up with it, which a sustained load leaves no room for: the WAL
// grew by hundreds of megabytes in ten seconds of intake. Past
// checkpointRestartFrames the checkpointer runs its PASSIVE checkpoint on
// the store's own connection instead, between two of its transactions: the
// background checkpoints have copied nearly everything by then, so it takes
// a few milliseconds, and the store's next write starts the WAL over. Not
// RESTART, which would hold the store's one connection for as long as
// another process (a backup) reads an older snapshot.
const (
	checkpointEvery         = 250 * time.Millisecond
	checkpointRestartFrames = 4096 // 16 MB of 4 KB pages
)

// checkpointer is the background checkpoint of an SQLite store.
type checkpointer struct {
	db     *sql.DB // its own connection
	main   *sql.DB // the store's
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// startCheckpoints opens the checkpointing connection on dsn and runs it
// until stop.
func startCheckpoints(dsn string, main *sql.DB) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, main: main, cancel: cancel, done: make(chan struct{})}
	go c.run(ctx)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTimer(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		t.Reset(c.round(ctx))
	}
}

// round is one checkpoint round; it returns when the next is due. Tests
// drive it directly, so what bounds the WAL is checked without timing.
func (c *checkpointer) round(ctx context.Context) time.Duration {
	// Errors are left for the next round: a checkpoint that fails loses
	// nothing (the pages stay in the WAL, which readers use).
	var busy, frames, copied int
	if c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied) == nil &&
		frames > checkpointRestartFrames {
		_ = c.main.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
		return 0 // writes that fast: check again at once
	}
	return checkpointEvery
}

// stop ends the checkpoints; the last connection to close the database
// checkpoints what is left.
func (c *checkpointer) stop() {
	c.once.Do(func() {
		c.cancel()
		<-c.done
		c.db.Close()
	})
}
