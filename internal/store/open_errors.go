package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// This file words the errors of opening a database for the operator who
// reads them at start-up: one line, naming COHORTBOT_DATABASE_URL, the
// place and what to do, instead of the driver's own text (pgx repeats the
// dial error of each attempt; SQLite says "unable to open database file
// (14)" without the path).

// postgresError says why PostgreSQL at where could not be reached.
func postgresError(where string, err error) error {
	const prefix = "cannot connect to PostgreSQL at %s (COHORTBOT_DATABASE_URL): %s"
	var pgErr *pgconn.PgError
	var dnsErr *net.DNSError
	var reason string
	switch {
	case errors.As(err, &pgErr):
		reason = fmt.Sprintf("the server refused: %s (SQLSTATE %s); check the user, password and database name in the URL", pgErr.Message, pgErr.Code)
	case errors.As(err, &dnsErr):
		reason = fmt.Sprintf("host %s not found; check the host name in the URL", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = "connection refused: nothing listens there; is PostgreSQL running, and are the host and port right?"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		reason = "no answer in 10s; check the host, the port and any firewall between"
	default:
		reason = oneLine(err)
	}
	return fmt.Errorf(prefix, where, reason)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// oneLine is err's text with each distinct line once, joined by "; ".
func oneLine(err error) string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(err.Error(), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}

// sqliteError says why the SQLite database at path could not be opened,
// finding out what SQLite does not say: whether the file and its directory
// (where the WAL files go) can be written by this process.
func sqliteError(path string, err error) error {
	reason := oneLine(err)
	if why := sqliteWritable(path); why != "" {
		reason = why
	}
	return fmt.Errorf("cannot open the SQLite database %s (COHORTBOT_DATABASE_URL): %s", path, reason)
}

// sqliteWritable is "" when path and its directory can be written, else
// what is wrong and the fix.
func sqliteWritable(path string) string {
	fix := "; set COHORTBOT_DATABASE_URL to a file in a writable directory (e.g. sqlite:///data/cohortbot.db on a mounted volume)"
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return "it is a directory; name a file inside it, e.g. sqlite://" + filepath.Join(path, "cohortbot.db")
	}
	dir := filepath.Dir(path)
	probe, err := os.CreateTemp(dir, ".cohortbot-probe-*")
	if err != nil {
		return fmt.Sprintf("cannot write in its directory %s (%s)%s", dir, errText(err), fix)
	}
	probe.Close()
	os.Remove(probe.Name())
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Sprintf("cannot write the file (%s)%s", errText(err), fix)
	}
	f.Close()
	return ""
}

// errText is the system's reason alone ("permission denied"), with who
// this process runs as when that is the reason.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Sprintf("%v for user id %d", err, os.Getuid())
	}
	return err.Error()
}
