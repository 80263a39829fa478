package gh

import (
	"context"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// Budgets keeps installations' write budgets (store.Budget). *store.Store
// keeps them in the database, shared by every replica.
type Budgets interface {
	ReserveWrite(ctx context.Context, installation int64, l store.BudgetLimits, now time.Time, maxWait time.Duration) (store.Budget, time.Time, bool, error)
	PauseBudget(ctx context.Context, installation int64, l store.BudgetLimits, now, until time.Time, reason string) error
	LoadBudget(ctx context.Context, installation int64, l store.BudgetLimits, now time.Time) (store.Budget, error)
}

// memBudgets keeps the budgets in memory: one process, no database (unit
// tests, a Pacer built without a store).
type memBudgets struct {
	mu sync.Mutex
	m  map[int64]store.Budget
}

func (mb *memBudgets) get(id int64, l store.BudgetLimits, now time.Time) store.Budget {
	b, ok := mb.m[id]
	if !ok {
		b = store.FullBudget(l, now)
	}
	return b
}

func (mb *memBudgets) ReserveWrite(_ context.Context, id int64, l store.BudgetLimits, now time.Time, maxWait time.Duration) (store.Budget, time.Time, bool, error) {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	b, at, ok := mb.get(id, l, now).Take(l, now, maxWait)
	mb.m[id] = b
	return b, at, ok, nil
}

func (mb *memBudgets) PauseBudget(_ context.Context, id int64, l store.BudgetLimits, now, until time.Time, reason string) error {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	b := mb.get(id, l, now)
	if until.After(b.PausedUntil) {
		b.PausedUntil, b.PauseReason = until, reason
	}
	mb.m[id] = b
	return nil
}

func (mb *memBudgets) LoadBudget(_ context.Context, id int64, l store.BudgetLimits, now time.Time) (store.Budget, error) {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return mb.get(id, l, now).Refill(l, now), nil
}
