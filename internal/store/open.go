// Package store keeps cohortbot's state: our own tables (cohorts, roster,
// deliveries, effects, locks) and River's job tables, in SQLite by default or
// PostgreSQL when several replicas share the work. Queries are written once
// with "?" placeholders and rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is an open database with our schema and River's migrated.
type Store struct {
	// Dialect is SQLite or Postgres.
	Dialect string
	// DB serves our own queries on both dialects (pgx's database/sql adapter
	// over Pool on PostgreSQL).
	DB *sql.DB
	// Pool is the pgx pool on PostgreSQL, nil on SQLite.
	Pool *pgxpool.Pool
	// Location describes the database for logs, without credentials.
	Location string

	// Refusal tells GitHub refusing an effect for good (gh.Refusal) from
	// other errors, with GitHub's message; nil: every error is retried.
	Refusal func(error) (string, bool)
}

// ParseURL splits a COHORTBOT_DATABASE_URL into dialect and DSN. SQLite URLs
// are sqlite://relative/path.db or sqlite:///absolute/path.db.
func ParseURL(raw string) (dialect, dsn string, err error) {
	switch {
	case strings.HasPrefix(raw, "sqlite://"):
		path := strings.TrimPrefix(raw, "sqlite://")
		if path == "" {
			return "", "", fmt.Errorf("database URL %q names no file (want sqlite://cohortbot.db or sqlite:///abs/path.db)", raw)
		}
		return SQLite, path, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return "", "", fmt.Errorf("database URL is not a valid postgres:// URL: %w", err)
		}
		return Postgres, raw, nil
	default:
		return "", "", fmt.Errorf("database URL must start with sqlite:// or postgres:// (got %q)", redact(raw))
	}
}

// Open connects to the database named by rawURL, creating an SQLite file when
// needed, and runs all migrations (ours with goose, River's with its migrator).
func Open(ctx context.Context, rawURL string) (*Store, error) {
	dialect, dsn, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var s *Store
	if dialect == SQLite {
		s, err = openSQLite(dsn, sqliteOptions{})
	} else {
		s, err = openPostgres(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrateLocked(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// migrationLock is the PostgreSQL advisory lock key held while migrating
// ("cohortbot" in ASCII, cut to 8 bytes).
const migrationLock int64 = 0x636f686f7274626f

// migrateLocked migrates, on PostgreSQL under a session advisory lock: two
// replicas started together would otherwise both create goose's version
// table and both apply the same migration, and one fails to start. The
// second waits for the first and then finds nothing to do.
func (s *Store) migrateLocked(ctx context.Context) error {
	if s.Dialect != Postgres {
		return s.migrate(ctx)
	}
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("take the migration lock: %w", err)
	}
	defer func() {
		// A session that could not unlock must not go back to the pool
		// still holding the lock: closing it ends the session.
		uctx := context.WithoutCancel(ctx)
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", migrationLock); err != nil {
			conn.Conn().Close(uctx)
		}
	}()
	return s.migrate(ctx)
}

// sqlitePragmas are every SQLite connection's settings. WAL lets readers
// run beside the one writer. synchronous(NORMAL) in WAL mode: a COMMIT
// appends the transaction to the WAL file with write(2) and returns without
// fsync; the WAL is fsynced at each checkpoint. A committed (acknowledged)
// delivery therefore survives the process being killed, SIGKILL included
// (the data is in the kernel's page cache, and the WAL is replayed at the
// next open), which internal/crashtest checks; a power cut or kernel crash
// may lose the transactions since the last checkpoint (SQLite's own, in the
// COMMIT that fills the WAL past 1,000 pages), never corrupt the database.
// FULL would fsync at every commit.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"

// sqliteOptions turn off the SQLite store's throughput aids, for the
// ablation benchmarks (ablation_bench_test.go) only: the service always
// opens with the zero value.
type sqliteOptions struct {
	noStmtCache bool // the plain modernc connector (sqlite_stmts.go)
}

func openSQLite(path string, o sqliteOptions) (*Store, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the directory of the SQLite database %s (COHORTBOT_DATABASE_URL): %s; create it, or set COHORTBOT_DATABASE_URL to a file in a writable directory", path, errText(err))
		}
	}
	// SQLite checkpoints in the COMMIT that fills the WAL past 1,000 pages
	// (a background checkpointer was measured to gain nothing against the
	// budgets, docs/PERFORMANCE.md), and a WAL file that grew past 32 MB is
	// truncated once it starts over.
	dsn := "file:" + path + "?" + sqlitePragmas + "&_pragma=journal_size_limit(33554432)&_txlock=immediate"
	var conn driver.Connector = &stmtConnector{dsn: dsn, driver: &sqlite.Driver{}}
	if o.noStmtCache {
		conn = plainConnector{dsn: dsn, driver: &sqlite.Driver{}}
	}
	db := sql.OpenDB(conn)
	// SQLite allows one writer at a time; River recommends a single connection.
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, sqliteError(path, err)
	}
	return &Store{Dialect: SQLite, DB: db, Location: "sqlite:" + path}, nil
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse postgres URL: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	loc := fmt.Sprintf("postgres:%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, postgresError(fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database), err)
	}
	return &Store{Dialect: Postgres, DB: stdlib.OpenDBFromPool(pool), Pool: pool, Location: loc}, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if s.Dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.DB, sub)
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	if err := s.ensureProbeTable(ctx); err != nil {
		return err
	}
	if s.Dialect == Postgres {
		m, err := rivermigrate.New(riverpgxv5.New(s.Pool), nil)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return wrapRiver(err)
	}
	m, err := rivermigrate.New(riversqlite.New(s.DB), nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return wrapRiver(err)
}

func wrapRiver(err error) error {
	if err != nil {
		return fmt.Errorf("migrate job tables: %w", err)
	}
	return nil
}

// Ping checks the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// Close releases the database.
func (s *Store) Close() {
	s.DB.Close()
	if s.Pool != nil {
		s.Pool.Close()
	}
}

// rebind turns "?" placeholders into "$1, $2, …" on PostgreSQL.
func (s *Store) rebind(q string) string {
	if s.Dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Exec runs a statement written with "?" placeholders.
func (s *Store) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.DB.ExecContext(ctx, s.rebind(q), args...)
}

// Query runs a query written with "?" placeholders.
func (s *Store) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.DB.QueryContext(ctx, s.rebind(q), args...)
}

// QueryRow runs a one-row query written with "?" placeholders.
func (s *Store) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.DB.QueryRowContext(ctx, s.rebind(q), args...)
}

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
