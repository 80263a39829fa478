package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
)

// Effect states.
const (
	EffectPending = "pending"
	EffectDone    = "done"
	// EffectFailed: GitHub refused the effect for good (Store.Refusal); the
	// value is GitHub's message. It is not tried again.
	EffectFailed = "failed"
)

// Effect is the record of one side effect on GitHub.
type Effect struct {
	State string
	Value string
}

// GetEffect returns the effect stored under key, or ErrNotFound.
func (s *Store) GetEffect(ctx context.Context, key string) (Effect, error) {
	var e Effect
	err := s.QueryRow(ctx, `SELECT state, value FROM effects WHERE key = ?`, key).Scan(&e.State, &e.Value)
	if errors.Is(err, sql.ErrNoRows) {
		return Effect{}, ErrNotFound
	}
	if err != nil {
		return Effect{}, fmt.Errorf("load effect %s: %w", key, err)
	}
	return e, nil
}

// PutEffect stores (or overwrites) the effect under key.
func (s *Store) PutEffect(ctx context.Context, key, state, value string) error {
	_, err := s.Exec(ctx, `INSERT INTO effects (key, state, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET state = excluded.state, value = excluded.value, updated_at = excluded.updated_at`,
		key, state, value, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("store effect %s: %w", key, err)
	}
	return nil
}

// Once performs a side effect at most once per key. A refusal for good
// (Refusal) records the key as failed and returns an empty value and no
// error; a failed key is not tried again. When the key is done, it
// returns the stored value without calling anything. When an earlier attempt
// started but did not record its result (a crash or a failed call after the
// write may have happened on GitHub), find is asked to look for the result
// on GitHub first; only when it finds nothing is do called again.
func (s *Store) Once(ctx context.Context, key string, find func() (string, bool, error), do func() (string, error)) (string, error) {
	e, err := s.GetEffect(ctx, key)
	switch {
	case err == nil && e.State == EffectDone:
		return e.Value, nil
	case err == nil && e.State == EffectFailed:
		return "", nil
	case err == nil && e.State == EffectPending && find != nil:
		v, ok, err := find()
		if err != nil {
			return "", fmt.Errorf("look for earlier %s: %w", key, err)
		}
		if ok {
			return v, s.PutEffect(ctx, key, EffectDone, v)
		}
	case err != nil && !errors.Is(err, ErrNotFound):
		return "", err
	}
	if err := s.PutEffect(ctx, key, EffectPending, ""); err != nil {
		return "", err
	}
	v, err := do()
	if err != nil {
		return "", s.refused(ctx, key, err)
	}
	return v, s.PutEffect(ctx, key, EffectDone, v)
}

// refused records the effect under key as failed when err is GitHub
// refusing it for good (SPEC §8), logs GitHub's message and returns nil, so
// that the rest of the delivery's work goes on (the caller gets an empty
// value); any other error is returned as it is, to be retried.
func (s *Store) refused(ctx context.Context, key string, err error) error {
	if s.Refusal == nil {
		return err
	}
	msg, ok := s.Refusal(err)
	if !ok {
		return err
	}
	zerolog.Ctx(ctx).Warn().Str("effect", key).Str("github", msg).
		Msg("GitHub refused the effect for good; recorded as failed, not retried")
	return s.PutEffect(ctx, key, EffectFailed, msg)
}

// ErrLocked is returned by Lock when another worker holds the lease.
var ErrLocked = errors.New("locked by another worker")

// Lock takes the lease on key for ttl, or returns ErrLocked. A lease whose
// holder died expires and is taken over.
func (s *Store) Lock(ctx context.Context, key, owner string, ttl time.Duration) error {
	now := time.Now()
	res, err := s.Exec(ctx, `INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
		WHERE locks.expires_at < ? OR locks.owner = excluded.owner`,
		key, owner, now.Add(ttl).UnixMilli(), now.UnixMilli())
	if err != nil {
		return fmt.Errorf("lock %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLocked
	}
	return nil
}

// Unlock releases a lease held by owner.
func (s *Store) Unlock(ctx context.Context, key, owner string) error {
	_, err := s.Exec(ctx, `DELETE FROM locks WHERE key = ? AND owner = ?`, key, owner)
	return err
}
