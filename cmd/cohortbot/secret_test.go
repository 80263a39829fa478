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

// TestNoStartWithoutWebhookSecret: every command that processes webhooks
// refuses to run without a webhook secret (go-github would accept unsigned
// payloads with an empty one); only `demo`, with its own simulated GitHub,
// runs without credentials.
func TestNoStartWithoutWebhookSecret(t *testing.T) {
	payload := filepath.Join(t.TempDir(), "ping.json")
	if err := os.WriteFile(payload, []byte(`{"zen":"Keep it logically awesome."}`), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"serve":   {"serve"},
		"receive": {"receive", "-e", "ping", "-p", payload},
		"tick":    {"tick", "--at", "2027-01-18T09:00:00Z"},
	}
	for _, secret := range []string{"", "  \t"} {
		for name, args := range commands {
			t.Run(name+"/secret "+strings.ReplaceAll(secret, "\t", `\t`), func(t *testing.T) {
				appEnv(t, secret)
				// A command that wrongly starts is stopped, and its nil error fails the test.
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				err := runWithOutput(ctx, args, &bytes.Buffer{})
				if err == nil || !strings.Contains(err.Error(), "GITHUB_APP_WEBHOOK_SECRET") {
					t.Errorf("%s without a webhook secret: err = %v, want one naming GITHUB_APP_WEBHOOK_SECRET", name, err)
				}
			})
		}
	}
	// The control: the same credentials with a secret pass the check.
	t.Run("receive/with a secret", func(t *testing.T) {
		appEnv(t, "s3cret")
		var out bytes.Buffer
		if err := runWithOutput(context.Background(), commands["receive"], &out); err != nil || !strings.Contains(out.String(), "ignored") {
			t.Errorf("receive with every credential: %v, output %q", err, out.String())
		}
	})
}
