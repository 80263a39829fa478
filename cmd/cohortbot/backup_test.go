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
	dir := t.TempDir()
	db := filepath.Join(dir, "cohortbot.db")
	st, err := store.Open(context.Background(), "sqlite://"+db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	t.Setenv("COHORTBOT_DATABASE_URL", "sqlite://"+db)
	to := filepath.Join(dir, "copy.db")
	if err := run(context.Background(), []string{"backup", "--to", to}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(to); err != nil {
		t.Fatalf("no backup written: %v", err)
	}
	t.Setenv("COHORTBOT_DATABASE_URL", "postgres://u@127.0.0.1:1/db")
	err = run(context.Background(), []string{"backup", "--to", filepath.Join(dir, "pg.db")})
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
