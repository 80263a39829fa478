package kernel

import (
	"context"
)

// lockKey takes an arbitrary lease (see lockIssue).
func (e *Env) LockKey(ctx context.Context, key string) (func(), error) {
	return e.Lock(ctx, key)
}
