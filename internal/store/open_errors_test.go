package store

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenErrorsSayWhereAndWhat: opening a database that cannot be opened
// fails with one line naming COHORTBOT_DATABASE_URL, the place and the
// reason in words (not SQLite's "(14)", not pgx's dial error twice).
func TestOpenErrorsSayWhereAndWhat(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	readOnly := filepath.Join(dir, "ro")
	os.Mkdir(readOnly, 0o500)
	tests := []struct {
		name, url, want string
		skip            string
	}{
		{name: "SQLite path is a directory", url: "sqlite://" + dir,
			want: "cannot open the SQLite database " + dir + " (COHORTBOT_DATABASE_URL): it is a directory; name a file inside it, e.g. sqlite://" + filepath.Join(dir, "cohortbot.db")},
		{name: "SQLite directory not writable", url: "sqlite://" + filepath.Join(readOnly, "c.db"), skip: map[bool]string{true: "root writes anywhere"}[os.Getuid() == 0],
			want: "cannot open the SQLite database " + filepath.Join(readOnly, "c.db") + " (COHORTBOT_DATABASE_URL): cannot write in its directory " + readOnly + " (permission denied for user id"},
		{name: "PostgreSQL refused", url: "postgres://postgres@" + closed + "/cohortbot?sslmode=prefer",
			want: "cannot connect to PostgreSQL at " + closed + "/cohortbot (COHORTBOT_DATABASE_URL): connection refused: nothing listens there; is PostgreSQL running, and are the host and port right?"},
		{name: "PostgreSQL unknown role", url: withUser(os.Getenv("COHORTBOT_TEST_POSTGRES_URL"), "nobody-here"), skip: map[bool]string{true: "COHORTBOT_TEST_POSTGRES_URL not set"}[os.Getenv("COHORTBOT_TEST_POSTGRES_URL") == ""],
			want: `(COHORTBOT_DATABASE_URL): the server refused: role "nobody-here" does not exist (SQLSTATE 28000); check the user, password and database name in the URL`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			s, err := Open(context.Background(), tc.url)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q, want one line with %q", err, tc.want)
			}
		})
	}
}

func withUser(raw, user string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return raw
	}
	u.User = url.User(user)
	return u.String()
}
