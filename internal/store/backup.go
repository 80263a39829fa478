package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrUsePgDump is returned by Backup for a PostgreSQL database: PostgreSQL has
// its own tool for consistent online copies, and re-implementing it would be
// worse than pointing at it.
var ErrUsePgDump = errors.New("cohortbot backup copies SQLite databases only; back up PostgreSQL with pg_dump " +
	"(for example: pg_dump --format=custom --file=cohortbot.dump \"$COHORTBOT_DATABASE_URL\")")

// Backup writes a consistent copy of the SQLite database named by rawURL to
// the file to, while the service may keep writing to it. It uses VACUUM INTO,
// which reads one snapshot (a WAL read transaction does not block writers) and
// writes a compacted database; the copy is written beside to and renamed into
// place, so a failed backup never leaves a half-written file under that name.
//
// Backup opens the database without running migrations: a backup taken before
// an upgrade must be the database as the old version left it.
func Backup(ctx context.Context, rawURL, to string) error {
	dialect, path, err := ParseURL(rawURL)
	if err != nil {
		return err
	}
	if dialect == Postgres {
		return ErrUsePgDump
	}
	if to == "" {
		return errors.New("name the backup file (--to FILE)")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database to back up at %s (COHORTBOT_DATABASE_URL): %w", path, errors.Unwrap(err))
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name (backups are never overwritten)", to)
	}
	s, err := openSQLite(path)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.vacuumInto(ctx, to)
}

// vacuumInto writes the snapshot to a temporary name in to's directory, makes
// it readable by its owner only (it holds every cohort's roster), then renames
// it.
func (s *Store) vacuumInto(ctx context.Context, to string) error {
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+".partial")
	_ = os.Remove(tmp) // left over by an interrupted backup
	if _, err := s.DB.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: %w", s.Location, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: %w", s.Location, err)
	}
	if err := os.Rename(tmp, to); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: %w", s.Location, err)
	}
	return nil
}
