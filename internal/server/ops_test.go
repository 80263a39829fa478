package server

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// serveForTest runs a Server (no workers, GitHub out of reach) on a
// loopback port until the test ends, with cfg changed by tune; it returns
// the server and its base URL.
func serveForTest(t *testing.T, dbURL string, tune func(*config.Server), opts Options) (*Server, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"COHORTBOT_DATABASE_URL":    dbURL,
		"GITHUB_V3_API_URL":         "http://127.0.0.1:1/",
		"GITHUB_APP_INTEGRATION_ID": "1",
		"GITHUB_APP_WEBHOOK_SECRET": "s",
		"GITHUB_APP_PRIVATE_KEY":    string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
	}
	cfg, err := config.LoadServer("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.LoadCredentials(); err != nil {
		t.Fatal(err)
	}
	if tune != nil {
		tune(&cfg)
	}
	opts.NoWorkers = true
	opts.Logger = zerolog.Nop()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := New(ctx, cfg, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return s, "http://" + ln.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// holdWriteLock takes the database's write lock from another connection,
// as another process (or a stuck migration) would, until release.
func holdWriteLock(t *testing.T, st *store.Store, dbURL string) (release func()) {
	t.Helper()
	ctx := context.Background()
	_, dsn, err := store.ParseURL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if st.Dialect == store.Postgres {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "LOCK TABLE cohortbot_ready_probe IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		return func() { tx.Rollback(ctx); conn.Close(ctx) }
	}
	db, err := sql.Open("sqlite", "file:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() { conn.ExecContext(ctx, "ROLLBACK"); conn.Close(); db.Close() }
}

// TestReadyzProbesWrites: /readyz is 503 while another connection holds the
// database's write lock (a ping still answers then) and 200 again once it
// is released (SPEC §8).
func TestReadyzProbesWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL string) {
		s, base := serveForTest(t, dbURL, nil, Options{})
		var got []int
		code, _ := get(t, base+"/readyz")
		got = append(got, code)
		release := holdWriteLock(t, s.Store, dbURL)
		if err := s.Store.Ping(context.Background()); err != nil {
			t.Errorf("ping while locked: %v (the probe is meant for a database that still answers)", err)
		}
		code, body := get(t, base+"/readyz")
		got = append(got, code)
		release()
		code, _ = get(t, base+"/readyz")
		got = append(got, code)
		if d := cmp.Diff([]int{200, 503, 200}, got); d != "" {
			t.Errorf("/readyz before, while and after the lock is held (-want +got):\n%s\nwhile: %s", d, body)
		}
	})
}

// TestMetricsAddress: with COHORTBOT_METRICS_ADDRESS set, /metrics is
// served there and no longer on the main (public) address.
func TestMetricsAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		metricsAddr string
		want        []int // main /metrics, metrics address /metrics
	}{
		{name: "one address", want: []int{200}},
		{name: "metrics apart", metricsAddr: ln.Addr().String(), want: []int{404, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{}
			if tt.metricsAddr != "" {
				opts.MetricsListener = ln
			}
			_, base := serveForTest(t, testdb.SQLite(t), func(c *config.Server) { c.MetricsAddress = tt.metricsAddr }, opts)
			code, _ := get(t, base+"/metrics")
			got := []int{code}
			if tt.metricsAddr != "" {
				code, body := get(t, "http://"+tt.metricsAddr+"/metrics")
				got = append(got, code)
				if !strings.Contains(body, "cohortbot_build_info") {
					t.Errorf("the metrics address serves no cohortbot metrics:\n%.300s", body)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("/metrics statuses (-want +got):\n%s", d)
			}
		})
	}
}
