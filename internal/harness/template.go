package harness

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cohortbot/cohortbot/internal/store"
)

// simKey is the App key every simulated GitHub of this process shares:
// generating a 2048-bit RSA key costs a good part of a second of CPU, and
// the end-to-end tests start hundreds of harnesses.
var simKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// migrated is a freshly migrated SQLite database file's content, made once
// per process: migrating costs tens of milliseconds of CPU per harness,
// copying a file almost nothing.
var migrated = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "cohortbot-harness-template")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	st, err := store.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		return nil, fmt.Errorf("migrate the template database: %w", err)
	}
	st.Close()
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, fmt.Errorf("template database left a WAL file behind")
	}
	return os.ReadFile(path)
})

// seedSQLite writes the migrated template to a SQLite URL's file when the
// file does not exist yet (a new test database); any other database is
// left alone, for the server to migrate as it always does.
func seedSQLite(url string) error {
	path, ok := strings.CutPrefix(url, "sqlite://")
	if !ok || path == "" || strings.ContainsAny(path, "?#") {
		return nil
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		return nil
	}
	data, err := migrated()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}
