package setup

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// DefaultCredentialsPath puts the credentials beside an SQLite database, the
// one place a container already keeps writable and persistent (/data), and in
// the working directory otherwise.
func DefaultCredentialsPath(databaseURL string) string {
	const name = "credentials.yml"
	if dialect, path, err := store.ParseURL(databaseURL); err == nil && dialect == store.SQLite {
		return filepath.Join(filepath.Dir(path), name)
	}
	return name
}

// Serve answers the set-up page on ln until ctx ends, so `serve` started
// without credentials needs only a few lines to offer it.
func Serve(ctx context.Context, ln net.Listener, opts Options) error {
	srv := &http.Server{Handler: New(opts), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// A connection still open (a browser's keep-alive, or one opened
		// and never used, which Shutdown waits five seconds for): the
		// page has no work worth waiting for, so close it.
		err = srv.Close()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
