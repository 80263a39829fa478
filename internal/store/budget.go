package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Bucket is one token bucket of a write budget: at most Burst tokens,
// one more every Every. A bucket of burst B refilled every Every never lets
// more than B + T/Every writes through in any window of length T, which is
// how BudgetLimits turns "N per window" into a bucket.
type Bucket struct {
	Burst float64
	Every time.Duration
}

// BudgetLimits are the two buckets of an installation's write budget: Short
// for GitHub's per-minute secondary limit, Long for its per-hour one.
type BudgetLimits struct {
	Short, Long Bucket
}

// Budget is an installation's write budget as stored: the tokens of each
// bucket as of Updated, and the pause a secondary-limit answer imposed.
type Budget struct {
	Short, Long float64
	Updated     time.Time
	PausedUntil time.Time
	PauseReason string
}

// FullBudget is the budget of an installation never seen: both buckets full.
func FullBudget(l BudgetLimits, now time.Time) Budget {
	return Budget{Short: l.Short.Burst, Long: l.Long.Burst, Updated: now}
}

// Refill returns b with the tokens earned between b.Updated and now. A now
// before b.Updated (another replica's clock runs ahead) earns nothing and
// keeps b.Updated, so that skew never mints tokens.
func (b Budget) Refill(l BudgetLimits, now time.Time) Budget {
	if !now.After(b.Updated) {
		return b
	}
	d := float64(now.Sub(b.Updated))
	b.Short = min(b.Short+d/float64(l.Short.Every), l.Short.Burst)
	b.Long = min(b.Long+d/float64(l.Long.Every), l.Long.Burst)
	b.Updated = now
	return b
}

// Wait is how long until both buckets hold a whole token.
func (b Budget) Wait(l BudgetLimits) time.Duration {
	need := func(tokens float64, every time.Duration) time.Duration {
		if tokens >= 1 {
			return 0
		}
		return time.Duration((1 - tokens) * float64(every))
	}
	return max(need(b.Short, l.Short.Every), need(b.Long, l.Long.Every))
}

// Take reserves one write at now: when both buckets have a token within
// maxWait it takes one of each (the buckets may go below zero: the writes
// reserved before wait ahead of this one) and reports when the write may
// go (a token there now is taken whatever maxWait); otherwise it takes nothing and reports when a token will be there.
// While a pause lasts it takes nothing and reports the pause's end.
func (b Budget) Take(l BudgetLimits, now time.Time, maxWait time.Duration) (Budget, time.Time, bool) {
	b = b.Refill(l, now)
	if b.PausedUntil.After(now) {
		return b, b.PausedUntil, false
	}
	wait := b.Wait(l)
	if wait > max(maxWait, 0) {
		return b, now.Add(wait), false
	}
	b.Short--
	b.Long--
	return b, now.Add(wait), true
}

// ReserveWrite takes one write from installation's shared budget (see
// Budget.Take) in a transaction that holds the budget's row, so that every
// replica on the database draws from the same buckets. It returns the
// budget after the reservation (Low's view), when the write may go, and
// whether it was granted.
func (s *Store) ReserveWrite(ctx context.Context, installation int64, l BudgetLimits, now time.Time, maxWait time.Duration) (Budget, time.Time, bool, error) {
	var (
		b     Budget
		at    time.Time
		grant bool
	)
	now = now.Truncate(time.Millisecond) // as budgetTx stores it
	err := s.budgetTx(ctx, installation, l, now, func(cur Budget) Budget {
		b, at, grant = cur.Take(l, now, maxWait)
		return b
	})
	return b, at, grant, err
}

// PauseBudget pauses installation's writes and reads, on every replica,
// until until (a secondary-limit answer's Retry-After). A pause never
// shortens one already in force.
func (s *Store) PauseBudget(ctx context.Context, installation int64, l BudgetLimits, now, until time.Time, reason string) error {
	return s.budgetTx(ctx, installation, l, now, func(cur Budget) Budget {
		if until.After(cur.PausedUntil) {
			cur.PausedUntil, cur.PauseReason = until, reason
		}
		return cur
	})
}

// LoadBudget returns installation's budget refilled to now, without taking
// anything (a full budget when none is stored).
func (s *Store) LoadBudget(ctx context.Context, installation int64, l BudgetLimits, now time.Time) (Budget, error) {
	b, err := s.scanBudget(s.QueryRow(ctx, `SELECT short_tokens, long_tokens, updated_ms, paused_until_ms, pause_reason
		FROM github_budget WHERE installation = ?`, installation))
	if errors.Is(err, sql.ErrNoRows) {
		return FullBudget(l, now), nil
	}
	if err != nil {
		return Budget{}, fmt.Errorf("load GitHub budget of installation %d: %w", installation, err)
	}
	return b.Refill(l, now), nil
}

// budgetTx runs change on installation's budget row, held for the
// transaction (created full when missing), and stores the result.
func (s *Store) budgetTx(ctx context.Context, installation int64, l BudgetLimits, now time.Time, change func(Budget) Budget) error {
	// The row keeps milliseconds: a now finer than that would be stored
	// earlier than it was, and the next look would refill the difference
	// again (a phantom token every few thousand looks).
	now = now.Truncate(time.Millisecond)
	tx, err := s.DB.BeginTx(ctx, nil) // SQLite: BEGIN IMMEDIATE (_txlock), the one writer
	if err != nil {
		return fmt.Errorf("GitHub budget of installation %d: %w", installation, err)
	}
	defer tx.Rollback()
	full := FullBudget(l, now)
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO github_budget (installation, short_tokens, long_tokens, updated_ms)
		VALUES (?, ?, ?, ?) ON CONFLICT (installation) DO NOTHING`),
		installation, full.Short, full.Long, now.UnixMilli()); err != nil {
		return fmt.Errorf("create GitHub budget of installation %d: %w", installation, err)
	}
	q := `SELECT short_tokens, long_tokens, updated_ms, paused_until_ms, pause_reason
		FROM github_budget WHERE installation = ?`
	if s.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	cur, err := s.scanBudget(tx.QueryRowContext(ctx, s.rebind(q), installation))
	if err != nil {
		return fmt.Errorf("load GitHub budget of installation %d: %w", installation, err)
	}
	b := change(cur)
	if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE github_budget SET short_tokens = ?, long_tokens = ?,
		updated_ms = ?, paused_until_ms = ?, pause_reason = ? WHERE installation = ?`),
		b.Short, b.Long, b.Updated.UnixMilli(), pausedMs(b.PausedUntil), b.PauseReason, installation); err != nil {
		return fmt.Errorf("store GitHub budget of installation %d: %w", installation, err)
	}
	return tx.Commit()
}

func pausedMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func (s *Store) scanBudget(row *sql.Row) (Budget, error) {
	var (
		b                  Budget
		updated, pausedEnd int64
	)
	if err := row.Scan(&b.Short, &b.Long, &updated, &pausedEnd, &b.PauseReason); err != nil {
		return Budget{}, err
	}
	b.Updated = time.UnixMilli(updated)
	if pausedEnd > 0 {
		b.PausedUntil = time.UnixMilli(pausedEnd)
	}
	return b, nil
}
