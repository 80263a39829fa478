package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appEnv sets complete App credentials except the webhook secret, which is
// secret ("" leaves it unset).
func appEnv(t *testing.T, secret string) {
	t.Helper()
	clearEnv(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	t.Setenv("GITHUB_APP_INTEGRATION_ID", "12")
	t.Setenv("GITHUB_APP_PRIVATE_KEY", string(pemKey))
	if secret != "" {
		t.Setenv("GITHUB_APP_WEBHOOK_SECRET", secret)
	}
	t.Setenv("COHORTBOT_DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "c.db"))
	t.Setenv("COHORTBOT_ADDRESS", "127.0.0.1:0")
}

// TestNoStartWithoutWebhookSecret: serve, which accepts webhooks, refuses
// to run without a webhook secret (go-github would accept unsigned
// payloads with an empty one); receive and tick accept no webhooks and run
// without one.
func TestNoStartWithoutWebhookSecret(t *testing.T) {
	payload := filepath.Join(t.TempDir(), "issue.json")
	if err := os.WriteFile(payload, []byte(`{"action":"opened","issue":{"number":1,"title":"hello","labels":[]},"sender":{"login":"someone"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"", "  \t"} {
		t.Run("serve/secret "+strings.ReplaceAll(secret, "\t", `\t`), func(t *testing.T) {
			appEnv(t, secret)
			// A command that wrongly starts is stopped, and its nil error fails the test.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := runWithOutput(ctx, []string{"serve"}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), "GITHUB_APP_WEBHOOK_SECRET") {
				t.Errorf("serve without a webhook secret: err = %v, want one naming GITHUB_APP_WEBHOOK_SECRET", err)
			}
		})
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"receive": {[]string{"receive", "-e", "issues", "-p", payload}, "issues.opened: ignored"},
		"tick":    {[]string{"tick", "--at", "2020-01-18T09:00:00Z"}, "tick as of 2020-01-18T09:00:00Z: 0 cohorts due"},
	} {
		t.Run(name+" without a secret", func(t *testing.T) {
			appEnv(t, "")
			var out bytes.Buffer
			if err := runWithOutput(context.Background(), tc.args, &out); err != nil || !strings.Contains(out.String(), tc.want) {
				t.Errorf("%s without a webhook secret: %v, output %q, want %q", name, err, out.String(), tc.want)
			}
		})
	}
}
