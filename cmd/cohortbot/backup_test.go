package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
)

func TestBackupCommand(t *testing.T) {
	dir, db := emptyDatabase(t)
	t.Setenv("COHORTBOT_DATABASE_URL", "sqlite://"+db)
	to := filepath.Join(dir, "copy.db")
	if err := run(context.Background(), []string{"backup", "--to", to}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(to); err != nil {
		t.Fatalf("no backup written: %v", err)
	}
	t.Setenv("COHORTBOT_DATABASE_URL", "postgres://u@127.0.0.1:1/db")
	err := run(context.Background(), []string{"backup", "--to", filepath.Join(dir, "pg.db")})
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("postgres backup: err = %v, want advice to use pg_dump", err)
	}
}

func TestHealthURL(t *testing.T) {
	tests := []struct{ name, address, want string }{
		{name: "all interfaces", address: "0.0.0.0:8080", want: "http://127.0.0.1:8080/healthz"},
		{name: "no host", address: ":9000", want: "http://127.0.0.1:9000/healthz"},
		{name: "ipv6 any", address: "[::]:8080", want: "http://127.0.0.1:8080/healthz"},
		{name: "loopback kept", address: "127.0.0.1:8080", want: "http://127.0.0.1:8080/healthz"},
		{name: "named host kept", address: "cohortbot:8080", want: "http://cohortbot:8080/healthz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, healthURL(tc.address)); d != "" {
				t.Errorf("healthURL(%q) (-want +got):\n%s", tc.address, d)
			}
		})
	}
}

func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		fmt.Fprintln(w, "ok")
	}))
	defer srv.Close()
	t.Setenv("COHORTBOT_ADDRESS", strings.TrimPrefix(srv.URL, "http://"))
	if err := run(context.Background(), []string{"healthcheck"}); err != nil {
		t.Errorf("healthy server: %v", err)
	}
	status = http.StatusInternalServerError
	if err := run(context.Background(), []string{"healthcheck"}); err == nil {
		t.Error("unhealthy server: want an error")
	}
	srv.Close()
	if err := run(context.Background(), []string{"healthcheck"}); err == nil {
		t.Error("no server: want an error")
	}
}

// TestBackupToStdout streams the copy to stdout (kubectl exec … > backup.db)
// and writes nothing else there: the bytes are a database with the original's
// tables, and no temporary file is left beside the original.
func TestBackupToStdout(t *testing.T) {
	dir, db := emptyDatabase(t)
	t.Setenv("COHORTBOT_DATABASE_URL", "sqlite://"+db)
	var out strings.Builder
	if err := runWithOutput(context.Background(), []string{"backup", "--to", "-"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "SQLite format 3\x00") {
		t.Fatalf("stdout does not start with an SQLite header: %q", out.String()[:min(len(out.String()), 32)])
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(copyPath, []byte(out.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(context.Background(), "sqlite://"+copyPath)
	if err != nil {
		t.Fatalf("the streamed copy does not open: %v", err)
	}
	defer cp.Close()
	var n int
	if err := cp.DB.QueryRow("SELECT count(*) FROM cohorts").Scan(&n); err != nil {
		t.Fatalf("the streamed copy lacks the cohorts table: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".cohortbot-backup-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left beside the database: %v", left)
	}
}

// TestBackupFileIsPrivate: the backup holds every roster, so it is created
// readable by its owner only, whatever the umask.
func TestBackupFileIsPrivate(t *testing.T) {
	dir, db := emptyDatabase(t)
	t.Setenv("COHORTBOT_DATABASE_URL", "sqlite://"+db)
	to := filepath.Join(dir, "copy.db")
	if err := run(context.Background(), []string{"backup", "--to", to}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(to)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("backup mode = %v, want 0600", got)
	}
}

// emptyDatabase creates a migrated SQLite database in a new directory.
func emptyDatabase(t *testing.T) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "cohortbot.db")
	st, err := store.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return dir, path
}
