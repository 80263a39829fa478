package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Delivery is one webhook delivery to store: its id (X-GitHub-Delivery),
// event and payload.
type Delivery struct {
	ID, Event string
	Payload   []byte
}

// PayloadRetention is how long a payload whose job is no longer in flight
// stays after the worker failed to clear it (a job discarded after its last
// attempt, one cancelled from outside, a clear that failed): River keeps
// discarded jobs seven days, and a retry within that time still finds its
// payload. SweepPayloads clears them after that.
const PayloadRetention = 8 * 24 * time.Hour

// insertDeliveries records ds, skipping the ids stored before, and returns
// the ids it stored. One statement for the whole batch.
func (s *Store) insertDeliveries(ds []Delivery, now time.Time) (string, []any) {
	var b strings.Builder
	b.WriteString(`INSERT INTO deliveries (id, event, received_at, payload) VALUES `)
	args := make([]any, 0, 4*len(ds))
	for i, d := range ds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		args = append(args, d.ID, d.Event, now.Unix(), d.Payload)
	}
	b.WriteString(` ON CONFLICT (id) DO NOTHING RETURNING id`)
	return s.rebind(b.String()), args
}

// RecordDeliveries stores ds in tx (SQLite) and reports the ids that were
// new; an id stored before (a redelivery) is left out. The ids in ds must
// differ from each other.
func (s *Store) RecordDeliveries(ctx context.Context, tx *sql.Tx, ds []Delivery) (map[string]bool, error) {
	q, args := s.insertDeliveries(ds, time.Now())
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("record deliveries: %w", err)
	}
	defer rows.Close()
	fresh := make(map[string]bool, len(ds))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("record deliveries: %w", err)
		}
		fresh[id] = true
	}
	return fresh, rows.Err()
}

// RecordDeliveriesPgx is RecordDeliveries in a pgx transaction (PostgreSQL,
// where River's jobs are inserted through pgx).
func (s *Store) RecordDeliveriesPgx(ctx context.Context, tx pgx.Tx, ds []Delivery) (map[string]bool, error) {
	q, args := s.insertDeliveries(ds, time.Now())
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("record deliveries: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("record deliveries: %w", err)
	}
	fresh := make(map[string]bool, len(ids))
	for _, id := range ids {
		fresh[id] = true
	}
	return fresh, nil
}

// DeliveryPayload returns the stored payload of a delivery. ErrNotFound
// means there is none to process: its job finished before (the payload was
// cleared) or the id was never stored.
func (s *Store) DeliveryPayload(ctx context.Context, id string) ([]byte, error) {
	var p []byte
	err := s.QueryRow(ctx, `SELECT payload FROM deliveries WHERE id = ?`, id).Scan(&p)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && p == nil:
		return nil, fmt.Errorf("payload of delivery %s: %w", id, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("payload of delivery %s: %w", id, err)
	}
	return p, nil
}

// ClearDeliveryPayload drops a delivery's payload once its job is done; the
// id stays, so a redelivery is still recognised.
func (s *Store) ClearDeliveryPayload(ctx context.Context, id string) error {
	if _, err := s.Exec(ctx, `UPDATE deliveries SET payload = NULL WHERE id = ? AND payload IS NOT NULL`, id); err != nil {
		return fmt.Errorf("clear payload of delivery %s: %w", id, err)
	}
	return nil
}

// SweepPayloads clears the payloads received before cutoff whose job is not
// in flight (available, scheduled, retryable, running or pending): what the
// workers left behind. A job still waiting keeps its payload however old it
// is (a service down for days resumes its queue), so nothing acknowledged is
// lost to the sweep. It returns how many it cleared.
func (s *Store) SweepPayloads(ctx context.Context, cutoff time.Time) (int64, error) {
	argID := `json_extract(args, '$.delivery_id')`
	if s.Dialect == Postgres {
		argID = `args->>'delivery_id'`
	}
	res, err := s.Exec(ctx, `UPDATE deliveries SET payload = NULL
		WHERE payload IS NOT NULL AND received_at < ?
		AND id NOT IN (SELECT `+argID+` FROM river_job WHERE kind = 'github_delivery'
			AND state IN ('available', 'scheduled', 'retryable', 'running', 'pending')
			AND `+argID+` IS NOT NULL)`, cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("sweep delivery payloads: %w", err)
	}
	return res.RowsAffected()
}
