package store

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	if to == "" {
		return errors.New("name the backup file (--to FILE)")
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name (backups are never overwritten)", to)
	}
	s, err := openForBackup(rawURL)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.vacuumInto(ctx, to)
}

// openForBackup opens the SQLite database named by rawURL as it is, without
// migrations.
func openForBackup(rawURL string) (*Store, error) {
	dialect, path, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if dialect == Postgres {
		return nil, ErrUsePgDump
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database to back up at %s (COHORTBOT_DATABASE_URL): %w", path, errors.Unwrap(err))
	}
	return openSQLite(path, sqliteOptions{})
}

// BackupTo writes a consistent copy of the SQLite database named by rawURL
// to w (for `cohortbot backup --to -`, streamed out of a container that has
// no tar for `kubectl cp`). The snapshot is taken into a temporary file
// beside the database — the one directory a container keeps writable — and
// removed once copied.
func BackupTo(ctx context.Context, rawURL string, w io.Writer) error {
	s, err := openForBackup(rawURL)
	if err != nil {
		return err
	}
	defer s.Close()
	_, path, _ := ParseURL(rawURL)
	f, err := os.CreateTemp(filepath.Dir(path), ".cohortbot-backup-*.db")
	if err != nil {
		return fmt.Errorf("back up %s: %w", s.Location, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	defer f.Close()
	// VACUUM INTO accepts an existing empty file: the snapshot is written
	// into the file just created, readable by its owner only.
	if _, err := s.DB.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("back up %s: %w", s.Location, err)
	}
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("back up %s: write the copy: %w", s.Location, err)
	}
	return nil
}

// vacuumInto writes the snapshot to a temporary file in to's directory,
// created readable by its owner only (it holds every cohort's roster) before
// a byte is written, syncs it, then renames it into place and syncs the
// directory, so a crash leaves either no backup or a whole one.
func (s *Store) vacuumInto(ctx context.Context, to string) error {
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+".partial")
	_ = os.Remove(tmp) // left over by an interrupted backup
	fail := func(err error) error {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: %w", s.Location, err)
	}
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if _, err := s.DB.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, to); err != nil {
		return fail(err)
	}
	if d, err := os.Open(filepath.Dir(to)); err == nil {
		_ = d.Sync() // the rename itself; not every file system can sync a directory
		d.Close()
	}
	return nil
}
