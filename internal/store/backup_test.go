package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestBackupWhileWriting backs up a database that another connection keeps
// writing to, as `cohortbot backup` does next to a running `serve`.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	url := testdb.SQLite(t)
	s := open(t, url)
	const before = 2000
	insertDeliveries(t, s, "before", before)

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Exec(ctx, "INSERT INTO deliveries (id, event, received_at) VALUES (?, 'issues', 0)", fmt.Sprintf("during-%08d", i)); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 10 { // let the writer get going so the backup overlaps it
		time.Sleep(time.Millisecond)
	}
	to := filepath.Join(t.TempDir(), "backup.db")
	err := store.Backup(ctx, url, to)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows written by the concurrent writer", written.Load())

	checkCopy(t, to, before)
	info, err := os.Stat(to)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("backup mode = %o, want 600", perm)
	}
}

func insertDeliveries(t *testing.T, s *store.Store, prefix string, n int) {
	t.Helper()
	tx, err := s.DB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := tx.Exec("INSERT INTO deliveries (id, event, received_at) VALUES (?, ?, 0)",
			fmt.Sprintf("%s-%08d", prefix, i), strings.Repeat("x", 200)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// checkCopy opens the backup as a plain SQLite file: it must pass
// integrity_check, hold every row committed before the backup, and hold the
// concurrent writer's rows as an unbroken prefix (one snapshot, not a mix).
func checkCopy(t *testing.T, path string, before int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil {
		t.Fatal(err)
	}
	if integrity != "ok" {
		t.Fatalf("integrity_check = %q", integrity)
	}
	var got int
	if err := db.QueryRow("SELECT COUNT(*) FROM deliveries WHERE id LIKE 'before-%'").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != before {
		t.Errorf("copy has %d of the %d rows committed before the backup", got, before)
	}
	var during int
	var last sql.NullString
	if err := db.QueryRow("SELECT COUNT(*), MAX(id) FROM deliveries WHERE id LIKE 'during-%'").Scan(&during, &last); err != nil {
		t.Fatal(err)
	}
	if during > 0 && last.String != fmt.Sprintf("during-%08d", during-1) {
		t.Errorf("concurrent rows in the copy are not a prefix: %d rows, last %q", during, last.String)
	}
	var tables int
	if err := db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('cohorts', 'goose_db_version', 'river_job')").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 3 {
		t.Errorf("copy has %d of our, goose's and River's tables, want 3", tables)
	}
}

func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	live := testdb.SQLite(t)
	open(t, live)
	tests := []struct {
		name, url, to, want string
		is                  error
	}{
		{name: "postgres points at pg_dump", url: "postgres://u:p@127.0.0.1:1/db", to: filepath.Join(dir, "x.db"), want: "pg_dump", is: store.ErrUsePgDump},
		{name: "no --to", url: live, to: "", want: "--to FILE"},
		{name: "missing database", url: "sqlite://" + filepath.Join(dir, "nope.db"), to: filepath.Join(dir, "y.db"), want: "no database to back up"},
		{name: "never overwrites", url: live, to: existing, want: "already exists"},
		{name: "bad url", url: "mysql://h/db", to: filepath.Join(dir, "z.db"), want: "sqlite:// or postgres://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := store.Backup(context.Background(), tc.url, tc.to)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want errors.Is %v", err, tc.is)
			}
		})
	}
	got, err := os.ReadFile(existing)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff("keep me", string(got)); d != "" {
		t.Errorf("existing file changed (-want +got):\n%s", d)
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
}
