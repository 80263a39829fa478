package config

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadServer(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yml")
	os.WriteFile(file, []byte("address: 0.0.0.0:9000\ntick_interval: 5m\ngithub:\n  app:\n    integration_id: 7\n"), 0o600)
	bad := filepath.Join(dir, "bad.yml")
	os.WriteFile(bad, []byte("adress: typo\n"), 0o600)
	tests := []struct {
		name    string
		path    string
		env     map[string]string
		check   func(Server) string
		wantErr string
	}{
		{name: "defaults from nothing", check: func(s Server) string {
			return cmp.Diff([]any{"127.0.0.1:8080", "sqlite://cohortbot.db", 10 * time.Minute, "https://api.github.com/", "https://api.github.com/graphql"},
				[]any{s.Address, s.DatabaseURL, time.Duration(s.TickInterval), s.GitHub.V3APIURL, s.GitHub.V4APIURL})
		}},
		{name: "file values", path: file, check: func(s Server) string {
			return cmp.Diff([]any{"0.0.0.0:9000", 5 * time.Minute, int64(7)}, []any{s.Address, time.Duration(s.TickInterval), s.GitHub.App.IntegrationID})
		}},
		{name: "environment overrides file", path: file, env: map[string]string{
			"COHORTBOT_ADDRESS": "127.0.0.1:1", "COHORTBOT_TICK_INTERVAL": "30s", "GITHUB_APP_INTEGRATION_ID": "42",
			"COHORTBOT_DATABASE_URL": "postgres://x@y/z", "GITHUB_V3_API_URL": "http://127.0.0.1:5/",
		}, check: func(s Server) string {
			return cmp.Diff([]any{"127.0.0.1:1", 30 * time.Second, int64(42), "postgres://x@y/z", "http://127.0.0.1:5/graphql"},
				[]any{s.Address, time.Duration(s.TickInterval), s.GitHub.App.IntegrationID, s.DatabaseURL, s.GitHub.V4APIURL})
		}},
		{name: "unknown key in file", path: bad, wantErr: "unknown key adress at line 1 of " + bad + "; did you mean address?"},
		{name: "bad tick interval", env: map[string]string{"COHORTBOT_TICK_INTERVAL": "often"}, wantErr: "COHORTBOT_TICK_INTERVAL must be a Go duration"},
		{name: "tick interval too small", env: map[string]string{"COHORTBOT_TICK_INTERVAL": "1ms"}, wantErr: "at least 1s"},
		{name: "bad integration id", env: map[string]string{"GITHUB_APP_INTEGRATION_ID": "abc"}, wantErr: "numeric id"},
		{name: "bad log level", env: map[string]string{"COHORTBOT_LOG_LEVEL": "loud"}, wantErr: "log_level"},
		{name: "missing file", path: filepath.Join(dir, "nope.yml"), wantErr: "read config file"},
		{name: "default limits", check: func(s Server) string {
			return cmp.Diff(Limits{MaxBodyBytes: 2 << 20, BodyMemoryBytes: 48 << 20, MaxConnections: 256, HTTPCacheBytes: 8 << 20, GitHubWritesPerMinute: 80}, s.Limits)
		}},
		{name: "limits and metrics address from the environment", env: map[string]string{
			"COHORTBOT_MAX_BODY_BYTES": "1048576", "COHORTBOT_BODY_MEMORY_BYTES": "8388608", "COHORTBOT_MAX_CONNECTIONS": "64",
			"COHORTBOT_HTTP_CACHE_BYTES": "1000", "COHORTBOT_METRICS_ADDRESS": "127.0.0.1:9090",
			"COHORTBOT_GITHUB_WRITES_PER_MINUTE": "40",
		}, check: func(s Server) string {
			return cmp.Diff([]any{Limits{MaxBodyBytes: 1 << 20, BodyMemoryBytes: 8 << 20, MaxConnections: 64, HTTPCacheBytes: 1000, GitHubWritesPerMinute: 40}, "127.0.0.1:9090"},
				[]any{s.Limits, s.MetricsAddress})
		}},
		{name: "body cap over GitHub's", env: map[string]string{"COHORTBOT_MAX_BODY_BYTES": "30000000"}, wantErr: "max_body_bytes"},
		{name: "body budget below three bodies", env: map[string]string{"COHORTBOT_BODY_MEMORY_BYTES": "4194304"}, wantErr: "body_memory_bytes"},
		{name: "connections not a number", env: map[string]string{"COHORTBOT_MAX_CONNECTIONS": "many"}, wantErr: "COHORTBOT_MAX_CONNECTIONS"},
		{name: "writes per minute not a number", env: map[string]string{"COHORTBOT_GITHUB_WRITES_PER_MINUTE": "fast"}, wantErr: "COHORTBOT_GITHUB_WRITES_PER_MINUTE must be a whole number"},
		{name: "writes per minute out of range", env: map[string]string{"COHORTBOT_GITHUB_WRITES_PER_MINUTE": "7000"}, wantErr: "between 1 and 6000"},
		{name: "metrics on the main address", env: map[string]string{"COHORTBOT_METRICS_ADDRESS": "127.0.0.1:8080"}, wantErr: "must differ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadServer(tc.path, envOf(tc.env))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := tc.check(s); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func testKey(t *testing.T) string {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

func TestLoadCredentials(t *testing.T) {
	key := testKey(t)
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	os.WriteFile(keyFile, []byte(key), 0o600)
	tests := []struct {
		name    string
		app     App
		wantErr []string
	}{
		{name: "complete with PEM text", app: App{IntegrationID: 1, WebhookSecret: "s", PrivateKey: key}},
		{name: "complete with key file", app: App{IntegrationID: 1, WebhookSecret: "s", PrivateKeyPath: keyFile}},
		{name: "nothing", wantErr: []string{"GITHUB_APP_INTEGRATION_ID", "GITHUB_APP_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH is not set"}},
		{name: "key not PEM", app: App{IntegrationID: 1, WebhookSecret: "s", PrivateKey: "hello"}, wantErr: []string{"GITHUB_APP_PRIVATE_KEY is not PEM"}},
		{name: "key file missing", app: App{IntegrationID: 1, WebhookSecret: "s", PrivateKeyPath: "/nonexistent.pem"}, wantErr: []string{"cannot read /nonexistent.pem"}},
		{name: "PEM but not a key", app: App{IntegrationID: 1, WebhookSecret: "s", PrivateKey: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}, wantErr: []string{"holds a CERTIFICATE, not a private key"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Server{GitHub: GitHub{App: tc.app}}
			err := s.LoadCredentials()
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(s.GitHub.App.PrivateKey, "PRIVATE KEY") {
					t.Error("private key not loaded")
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %T is not Problems", err)
			}
			for _, p := range ps {
				if strings.Contains(p, "\n") {
					t.Errorf("problem is not one line: %q", p)
				}
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestExampleDocumentsEveryKey keeps config/cohortbot.example.yml complete:
// it must load, and name every key and its environment variable.
func TestExampleDocumentsEveryKey(t *testing.T) {
	if _, err := LoadServer("cohortbot.example.yml", envOf(nil)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile("cohortbot.example.yml")
	text := string(b)
	var keys []string
	var walk func(reflect.Type)
	walk = func(tp reflect.Type) {
		for i := 0; i < tp.NumField(); i++ {
			f := tp.Field(i)
			keys = append(keys, strings.Split(f.Tag.Get("yaml"), ",")[0]+":")
			if f.Type.Kind() == reflect.Struct && f.Type.Name() != "Duration" {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeOf(Server{}))
	for _, k := range keys {
		if !strings.Contains(text, k) {
			t.Errorf("example config lacks key %s", k)
		}
	}
	for _, env := range []string{"COHORTBOT_ADDRESS", "COHORTBOT_DATABASE_URL", "COHORTBOT_TICK_INTERVAL", "COHORTBOT_WORKERS",
		"COHORTBOT_LOG_LEVEL", "COHORTBOT_PUBLIC_URL", "GITHUB_WEB_URL", "GITHUB_V3_API_URL", "GITHUB_V4_API_URL",
		"GITHUB_APP_INTEGRATION_ID", "GITHUB_APP_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_PATH",
		"COHORTBOT_METRICS_ADDRESS", "COHORTBOT_MAX_BODY_BYTES", "COHORTBOT_BODY_MEMORY_BYTES", "COHORTBOT_MAX_CONNECTIONS",
		"COHORTBOT_HTTP_CACHE_BYTES", "COHORTBOT_GITHUB_WRITES_PER_MINUTE"} {
		if !strings.Contains(text, env) {
			t.Errorf("example config lacks %s", env)
		}
	}
}
