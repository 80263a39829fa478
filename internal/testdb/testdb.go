// Package testdb gives tests fresh databases: always a SQLite file, and a
// fresh PostgreSQL database too when COHORTBOT_TEST_POSTGRES_URL names a
// server, so the same tests run on both.
package testdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvPostgres names the PostgreSQL server tests may create databases on.
const EnvPostgres = "COHORTBOT_TEST_POSTGRES_URL"

// Case is one database a test runs against.
type Case struct {
	Name string // "sqlite" or "postgres"
	URL  string
}

// Each runs fn as a subtest once per available database.
func Each(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns the URL of a new SQLite file in the test's temp dir.
func SQLite(t testing.TB) string {
	return "sqlite://" + filepath.Join(t.TempDir(), "cohortbot.db")
}

// Postgres creates a fresh database on the server named by
// COHORTBOT_TEST_POSTGRES_URL and drops it after the test. It skips the test
// when the variable is unset.
func Postgres(t testing.TB) string {
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		t.Skip(EnvPostgres + " not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("cohortbot_test_%d_%d", time.Now().UnixNano()%1e9, rand.IntN(1e6))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
