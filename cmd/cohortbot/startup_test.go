package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := testKey()
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

// testKey is generated once per package run: a 2048-bit key costs a good
// part of a second of CPU, and no test needs a key of its own.
var testKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestStartupErrors runs the built binary as an operator would and checks
// the exit code and every line it prints to stderr: all problems in one
// pass, each naming its key or variable and the fix; the database's
// problems in one line.
func TestStartupErrors(t *testing.T) {
	t.Parallel() // runs its own processes or harness; reads no variable of this process
	dir := t.TempDir()
	key := testKeyPEM(t)
	conf := filepath.Join(dir, "cohortbot.yml")
	os.WriteFile(conf, []byte("address: 127.0.0.1:0\n\nadress: 0.0.0.0:8080\ntick_interval: often\n"), 0o600)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	app := func(extra map[string]string) map[string]string {
		env := map[string]string{"GITHUB_APP_INTEGRATION_ID": "12", "GITHUB_APP_PRIVATE_KEY": key, "GITHUB_APP_WEBHOOK_SECRET": "s",
			"COHORTBOT_DATABASE_URL": "sqlite://" + filepath.Join(t.TempDir(), "c.db"), "COHORTBOT_ADDRESS": "127.0.0.1:0"}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	pgAddr := closedAddr(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string // stderr, every line
	}{
		{
			name: "every problem at once, a non-numeric App id among them",
			env:  map[string]string{"GITHUB_APP_INTEGRATION_ID": "cohortbot", "GITHUB_APP_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n"},
			args: []string{"serve", "--config", conf},
			want: []string{
				"cohortbot: cannot start: 5 problems in the configuration:",
				"  - unknown key adress at line 3 of " + conf + "; did you mean address?",
				"  - line 4 of " + conf + `: "often" is not a duration like 10m or 90s`,
				`  - GITHUB_APP_INTEGRATION_ID must be the App's numeric id, the "App ID" on its settings page (got "cohortbot")`,
				"  - GITHUB_APP_WEBHOOK_SECRET (github.app.webhook_secret) is not set: set it to the App's webhook secret (cohortbot never accepts unsigned webhooks)",
				"  - GITHUB_APP_PRIVATE_KEY is cut short or damaged: it has a -----BEGIN line but no matching -----END line, or the lines between are not base64; copy the whole .pem file GitHub generated for the App, from -----BEGIN to -----END lines included",
			},
		},
		{
			// A first run (no credentials): only what stands between it and
			// the set-up page, not the credentials that page is to give.
			name: "no credentials: the config's problems, not the credentials'",
			env:  map[string]string{"COHORTBOT_WORKERS": "four"},
			args: []string{"serve", "--config", conf},
			want: []string{
				"cohortbot: cannot start: 3 problems in the configuration:",
				"  - unknown key adress at line 3 of " + conf + "; did you mean address?",
				"  - line 4 of " + conf + `: "often" is not a duration like 10m or 90s`,
				`  - COHORTBOT_WORKERS must be a whole number (got "four")`,
			},
		},
		{
			// The key with literal \n passes: the error is the next step's.
			name: "key with literal \\n accepted; SQLite path is a directory",
			env:  app(map[string]string{"GITHUB_APP_PRIVATE_KEY": strings.ReplaceAll(key, "\n", `\n`), "COHORTBOT_DATABASE_URL": "sqlite://" + dir}),
			args: []string{"serve"},
			want: []string{"cohortbot: cannot open the SQLite database " + dir + " (COHORTBOT_DATABASE_URL): it is a directory; name a file inside it, e.g. sqlite://" + filepath.Join(dir, "cohortbot.db")},
		},
		{
			name: "unreachable PostgreSQL: one line",
			env:  app(map[string]string{"COHORTBOT_DATABASE_URL": "postgres://postgres@" + pgAddr + "/cohortbot"}),
			args: []string{"serve"},
			want: []string{"cohortbot: cannot connect to PostgreSQL at " + pgAddr + "/cohortbot (COHORTBOT_DATABASE_URL): connection refused: nothing listens there; is PostgreSQL running, and are the host and port right?"},
		},
		{
			name: "--address overrides COHORTBOT_ADDRESS",
			env:  app(nil),
			args: []string{"serve", "--address", busy.Addr().String()},
			want: []string{"cohortbot: listen on " + busy.Addr().String() + " (--address): listen tcp " + busy.Addr().String() + ": bind: address already in use"},
		},
		{
			name: "receive: unknown event refused with the handled ones",
			env:  app(nil),
			args: []string{"receive", "-e", "issue", "-p", conf},
			want: []string{`cohortbot: unknown event "issue": cohortbot handles only issue_comment, issues, pull_request, pull_request_review`},
		},
		{
			name: "tick: a future instant needs --force",
			env:  app(nil),
			args: []string{"tick", "--at", "2999-01-18T09:00:00Z"},
			want: []string{"cohortbot: --at 2999-01-18T09:00:00Z is in the future: tick would do now, on GitHub, what is due only then (mark weeks missed, close cohorts before their end). Add --dry-run to see what it would do, or --force if you mean it"},
		},
		{
			name: "tick: no dry run on PostgreSQL",
			env:  app(map[string]string{"COHORTBOT_DATABASE_URL": "postgres://postgres@" + pgAddr + "/cohortbot"}),
			args: []string{"tick", "--dry-run"},
			want: []string{"cohortbot: --dry-run works on SQLite databases only: it runs against a throwaway copy, and cohortbot does not copy a PostgreSQL database. Restore a pg_dump into a scratch database and point COHORTBOT_DATABASE_URL at it for the dry run, or run without --dry-run"},
		},
		{
			name: "receive and tick need the App's id and key, not the webhook secret",
			env:  map[string]string{"GITHUB_APP_PRIVATE_KEY": key},
			args: []string{"tick"},
			want: []string{"cohortbot: cannot tick: GITHUB_APP_INTEGRATION_ID (github.app.integration_id) is not set: set it to the \"App ID\" on the App's settings page"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runBinary(t, tc.env, tc.args...)
			if r.code != 1 {
				t.Errorf("exit code %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			if d := cmp.Diff(tc.want, r.stderrLines()); d != "" {
				t.Errorf("stderr (-want +got):\n%s\nfull stderr:\n%s", d, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
		})
	}
}
