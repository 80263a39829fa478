package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
	"github.com/cohortbot/cohortbot/internal/store"
)

// errDryRunPostgres: a dry run must leave the database as it was, and a
// copy of a shared PostgreSQL database is the operator's to make.
var errDryRunPostgres = errors.New("--dry-run works on SQLite databases only: it runs against a throwaway copy, " +
	"and cohortbot does not copy a PostgreSQL database. Restore a pg_dump into a scratch database and point " +
	"COHORTBOT_DATABASE_URL at it for the dry run, or run without --dry-run")

// dryRunDatabase copies the SQLite database named by rawURL into a new
// temporary directory (VACUUM INTO, consistent while serve keeps writing)
// and returns the copy's URL: a dry run reads and writes the copy, never
// the database itself. done removes the copy. A database that does not
// exist yet is a fresh one in the copy's place.
func dryRunDatabase(ctx context.Context, rawURL string) (copyURL string, done func(), err error) {
	dialect, path, err := store.ParseURL(rawURL)
	if err != nil {
		return "", nil, err
	}
	if dialect == store.Postgres {
		return "", nil, errDryRunPostgres
	}
	dir, err := os.MkdirTemp("", "cohortbot-dry-run-*")
	if err != nil {
		return "", nil, fmt.Errorf("dry run: %w", err)
	}
	done = func() { os.RemoveAll(dir) }
	copyPath := filepath.Join(dir, "cohortbot.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "sqlite://" + copyPath, done, nil
	}
	if err := store.Backup(ctx, rawURL, copyPath); err != nil {
		done()
		return "", nil, fmt.Errorf("dry run: copy the database: %w", err)
	}
	return "sqlite://" + copyPath, done, nil
}

// oneShot builds the server a one-off command (receive, tick) runs: no
// webhooks, every GitHub request logged, and in a dry run a throwaway copy of
// the database with writes printed instead of sent. done closes it all.
func oneShot(cmd *cobra.Command, cfg config.Server, dryRun bool, opts server.Options) (*server.Server, *githubLog, context.Context, func(), error) {
	cleanup := func() {}
	if dryRun {
		copyURL, done, err := dryRunDatabase(cmd.Context(), cfg.DatabaseURL)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		cleanup = done
		cfg.DatabaseURL = copyURL
	}
	log := newLogger(cfg.LogLevel)
	if dryRun {
		// The flows log "created issue" for writes a dry run only printed.
		log = log.With().Bool("dry_run", true).Logger()
	}
	ctx := log.WithContext(cmd.Context())
	gl := &githubLog{dry: dryRun, out: cmd.OutOrStdout()}
	opts.Logger, opts.NoWebhooks, opts.GitHubMiddleware = log, true, gl.middleware()
	srv, err := server.New(ctx, cfg, opts)
	if err != nil {
		cleanup()
		return nil, nil, nil, nil, err
	}
	return srv, gl, ctx, func() { srv.Close(ctx); cleanup() }, nil
}
