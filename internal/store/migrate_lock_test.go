package store

import (
	"context"
	"sync"
	"testing"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestMigrateConcurrently: replicas started together on one fresh
// PostgreSQL database all start (each Open migrates under an advisory lock;
// without it two create goose's version table or apply one migration at
// once, and one fails). Several fresh databases, since an unlocked race is
// lost only some of the time.
func TestMigrateConcurrently(t *testing.T) {
	const rounds, replicas = 3, 8
	for range rounds {
		url := testdb.Postgres(t)
		var wg sync.WaitGroup
		errs := make([]error, replicas)
		for i := range replicas {
			wg.Go(func() {
				s, err := Open(context.Background(), url)
				if err == nil {
					s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d of %d on one fresh database: %v", i+1, replicas, err)
			}
		}
	}
}
