package kernel

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
)

// LockKey takes an arbitrary lease (see lockIssue).
func (e *Env) LockKey(ctx context.Context, key string) (func(), error) {
	return e.Lock(ctx, key)
}

// LockIssue serialises the writes to one issue across workers and replicas.
// It returns ErrBusy when another worker holds the issue; the job is then
// snoozed and tried again shortly.
func (e *Env) LockIssue(ctx context.Context, repo string, number int) (func(), error) {
	return e.Lock(ctx, issueLock(repo, number))
}

// Lock takes the lease on key, or returns ErrBusy.
func (e *Env) Lock(ctx context.Context, key string) (func(), error) {
	// Each acquisition has its own token: workers of one process must
	// exclude each other too.
	owner := e.Owner + "/" + strconv.FormatUint(lockSeq.Add(1), 10)
	ttl := e.LockTTL
	if ttl <= 0 {
		ttl = 2 * time.Minute
	}
	if err := e.Store.Lock(ctx, key, owner, ttl); err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, ErrBusy
		}
		return nil, err
	}
	return func() {
		if err := e.Store.Unlock(context.WithoutCancel(ctx), key, owner); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Str("lock", key).Msg("could not release issue lock; it expires by itself")
		}
	}, nil
}

var lockSeq atomic.Uint64

// ErrBusy means another worker is writing to the same issue right now.
var ErrBusy = errors.New("issue busy")
