package store

import (
	"context"
	"fmt"
	"time"
)

// probeTable holds one row that /readyz rewrites: a ping answers while the
// disk is full or another process holds the write lock, and then every
// delivery would be answered 503 by a replica that calls itself ready.
// It is created with the schema (ensureProbeTable), outside the numbered
// migrations: it is the service's own scratch row, not part of the model.
const probeTable = "cohortbot_ready_probe"

func (s *Store) ensureProbeTable(ctx context.Context) error {
	_, err := s.DB.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+probeTable+" (id INTEGER PRIMARY KEY, written_at BIGINT NOT NULL)")
	if err != nil {
		return fmt.Errorf("create %s: %w", probeTable, err)
	}
	return nil
}

// ProbeWrite commits a one-row upsert, proving the database takes writes
// now. ctx bounds the wait (a lock held elsewhere makes it time out).
func (s *Store) ProbeWrite(ctx context.Context) error {
	_, err := s.Exec(ctx, "INSERT INTO "+probeTable+" (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
		time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("write probe: %w", err)
	}
	return nil
}
