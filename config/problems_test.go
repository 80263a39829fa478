package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEveryProblemInOnePass: a bad App id no longer stops the check; the
// file's typos, the environment's bad values and the credentials' problems
// are all listed, each naming its key or variable.
func TestEveryProblemInOnePass(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cohortbot.yml")
	os.WriteFile(file, []byte("address: 127.0.0.1:1\ntick_interval: often\nadress: x\ngithub:\n  app:\n    webhok_secret: s\nlimits:\n  max_conections: 3\n"), 0o600)
	env := envOf(map[string]string{"GITHUB_APP_INTEGRATION_ID": "my-app", "COHORTBOT_WORKERS": "four", "COHORTBOT_LOG_LEVEL": "loud"})
	s, err := LoadServer(file, env)
	err = JoinProblems(err, s.LoadCredentials())
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v (%T), want Problems", err, err)
	}
	want := Problems{
		`line 2 of ` + file + `: "often" is not a duration like 10m or 90s`,
		`unknown key adress at line 3 of ` + file + `; did you mean address?`,
		`unknown key github.app.webhok_secret at line 6 of ` + file + `; did you mean github.app.webhook_secret?`,
		`unknown key limits.max_conections at line 8 of ` + file + `; did you mean limits.max_connections?`,
		`GITHUB_APP_INTEGRATION_ID must be the App's numeric id, the "App ID" on its settings page (got "my-app")`,
		`COHORTBOT_WORKERS must be a whole number (got "four")`,
		`log_level (COHORTBOT_LOG_LEVEL) must be debug, info, warn or error (got "loud")`,
		`GITHUB_APP_WEBHOOK_SECRET (github.app.webhook_secret) is not set: set it to the App's webhook secret (cohortbot never accepts unsigned webhooks)`,
		`GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH is not set: give the App's private key (the .pem file generated on its settings page) as text or as a file path`,
	}
	if d := cmp.Diff(want, ps); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if !strings.HasPrefix(err.Error(), "9 problems in the configuration:\n  - line 2") {
		t.Errorf("error text:\n%s", err)
	}
}

// TestPrivateKeyProblems: a key with literal \n (as CI secret stores hold
// it) is accepted with real line breaks; a damaged one is refused in words.
func TestPrivateKeyProblems(t *testing.T) {
	good := testKey(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}))
	lines := strings.Split(strings.TrimSpace(good), "\n")
	tests := []struct {
		name    string
		key     string
		wantErr string // "" when accepted
	}{
		{name: "as generated", key: good},
		{name: "one line with literal \\n", key: strings.ReplaceAll(good, "\n", `\n`)},
		{name: "cut short", key: strings.Join(lines[:len(lines)-3], "\n"), wantErr: "is cut short or damaged: it has a -----BEGIN line but no matching -----END line"},
		{name: "base64 damaged", key: strings.Replace(good, lines[3], "!!"+lines[3][2:], 1), wantErr: "is cut short or damaged"},
		{name: "a path", key: "/etc/cohortbot/app.pem", wantErr: "looks like a file name, not a key: put the path in GITHUB_APP_PRIVATE_KEY_PATH instead"},
		{name: "not PEM", key: "hello", wantErr: "is not PEM text: a private key starts with a line -----BEGIN RSA PRIVATE KEY-----"},
		{name: "a public key", key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", wantErr: "holds a PUBLIC KEY, not a private key"},
		{name: "an EC key", key: ecPEM, wantErr: "is a *ecdsa.PrivateKey key, not an RSA private key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Server{GitHub: GitHub{App: App{IntegrationID: 1, WebhookSecret: "s", PrivateKey: tc.key}}}
			err := s.LoadCredentials()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(good, s.GitHub.App.PrivateKey); d != "" {
					t.Errorf("key as loaded (-want +got):\n%s", d)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "GITHUB_APP_PRIVATE_KEY "+tc.wantErr) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// TestAppCredentialsWithoutSecret: commands that accept no webhooks need no
// webhook secret, and still need the rest.
func TestAppCredentialsWithoutSecret(t *testing.T) {
	s := Server{GitHub: GitHub{App: App{IntegrationID: 1, PrivateKey: testKey(t)}}}
	if err := s.LoadAppCredentials(); err != nil {
		t.Errorf("LoadAppCredentials: %v", err)
	}
	if err := s.LoadCredentials(); err == nil || !strings.Contains(err.Error(), "GITHUB_APP_WEBHOOK_SECRET") {
		t.Errorf("LoadCredentials: %v, want the missing secret", err)
	}
	s = Server{}
	if err := s.LoadAppCredentials(); err == nil || !strings.Contains(err.Error(), "GITHUB_APP_INTEGRATION_ID") {
		t.Errorf("LoadAppCredentials of nothing: %v", err)
	}
}
