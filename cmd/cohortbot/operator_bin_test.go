package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOperatorCommandsBinary runs the built binary as an operator would for
// the commands of the deployment path: the version line, the key out of the
// set-up page's credentials file, and a backup streamed to stdout.
func TestOperatorCommandsBinary(t *testing.T) {
	t.Run("version", func(t *testing.T) {
		a, b := runBinary(t, nil, "--version"), runBinary(t, nil, "version")
		if a.code != 0 || !strings.HasPrefix(a.stdout, "cohortbot ") || !strings.Contains(a.stdout, "(commit ") {
			t.Fatalf("--version: exit %d, stdout %q, stderr %q", a.code, a.stdout, a.stderr)
		}
		if d := cmp.Diff(a.stdout, b.stdout); d != "" {
			t.Errorf("--version and version differ:\n%s", d)
		}
	})
	t.Run("credentials export", func(t *testing.T) {
		path, key := credentialsFixture(t)
		r := runBinary(t, nil, "credentials", "export", "--config", path, "--format", "pem")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if d := cmp.Diff(key, r.stdout); d != "" {
			t.Errorf("pem (-want +got):\n%s", d)
		}
		r = runBinary(t, nil, "credentials", "export", "--config", path, "--format", "yaml")
		if r.code == 0 || r.stdout != "" || !strings.Contains(r.stderr, "env, secret or pem") {
			t.Errorf("unknown format: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("backup to stdout", func(t *testing.T) {
		_, db := emptyDatabase(t)
		r := runBinary(t, map[string]string{"COHORTBOT_DATABASE_URL": "sqlite://" + db}, "backup", "--to", "-")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stdout, "SQLite format 3\x00") {
			t.Errorf("stdout is not an SQLite database (%d bytes)", len(r.stdout))
		}
	})
}
