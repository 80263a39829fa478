package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestStatementCache: SQLite keeps statements prepared per connection. The
// same statement run again while rows read from it are still open (in one
// transaction) gets one of its own; a statement that failed works the next
// time; more distinct statements than the cache holds still run.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	s := open(t, testdb.SQLite(t))
	const insert = `INSERT INTO effects (key, state, updated_at) VALUES (?, 'done', 0)`
	for i := range 3 {
		if _, err := s.Exec(ctx, insert, fmt.Sprintf("k%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Exec(ctx, insert, "k0"); err == nil {
		t.Fatal("inserting a key twice succeeded")
	}
	if _, err := s.Exec(ctx, insert, "k3"); err != nil {
		t.Fatalf("the statement after its failure: %v", err)
	}

	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const list = `SELECT key FROM effects ORDER BY key`
	rows, err := tx.QueryContext(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, k)
		var first string
		if err := tx.QueryRowContext(ctx, list).Scan(&first); err != nil {
			t.Fatal(err)
		}
		inner = append(inner, first)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(outer) != "[k0 k1 k2 k3]" || fmt.Sprint(inner) != "[k0 k0 k0 k0]" {
		t.Errorf("outer %v, inner %v; want [k0 k1 k2 k3] and k0 each time", outer, inner)
	}
	tx.Rollback()

	for i := range 600 {
		var n int
		if err := s.QueryRow(ctx, fmt.Sprintf(`SELECT %d + COUNT(*) FROM effects`, i)).Scan(&n); err != nil || n != i+4 {
			t.Fatalf("statement %d: %d, %v", i, n, err)
		}
	}
}
