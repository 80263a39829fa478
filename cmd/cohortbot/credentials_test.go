package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// credentialsFixture writes a credentials file as the set-up page does
// (config.Server's keys, the key as a YAML block) and returns its path and key.
func credentialsFixture(t *testing.T) (string, string) {
	t.Helper()
	clearEnv(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	var f struct {
		PublicURL string `yaml:"public_url"`
		GitHub    struct {
			App struct {
				IntegrationID int64  `yaml:"integration_id"`
				WebhookSecret string `yaml:"webhook_secret"`
				PrivateKey    string `yaml:"private_key"`
			} `yaml:"app"`
		} `yaml:"github"`
	}
	f.PublicURL = "https://cohortbot.example.org"
	f.GitHub.App.IntegrationID = 4242
	f.GitHub.App.WebhookSecret = "it's a secret"
	f.GitHub.App.PrivateKey = pemKey
	b, err := yaml.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "credentials.yml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, pemKey
}

func TestCredentialsExport(t *testing.T) {
	path, key := credentialsFixture(t)
	export := func(t *testing.T, format string) string {
		t.Helper()
		var out bytes.Buffer
		if err := runWithOutput(context.Background(), []string{"credentials", "export", "--config", path, "--format", format}, &out); err != nil {
			t.Fatalf("export --format %s: %v", format, err)
		}
		return out.String()
	}
	t.Run("pem", func(t *testing.T) {
		if d := cmp.Diff(key, export(t, "pem")); d != "" {
			t.Errorf("pem (-want +got):\n%s", d)
		}
	})
	t.Run("env", func(t *testing.T) {
		// The lines are sourced by a real shell, which must see the exact values.
		env := filepath.Join(t.TempDir(), "cohortbot.env")
		if err := os.WriteFile(env, []byte(export(t, "env")), 0o600); err != nil {
			t.Fatal(err)
		}
		script := `. "$1"; printf '%s\n%s\n%s\n%s' "$GITHUB_APP_INTEGRATION_ID" "$GITHUB_APP_WEBHOOK_SECRET" "$COHORTBOT_PUBLIC_URL" "$GITHUB_APP_PRIVATE_KEY"`
		got, err := exec.Command("sh", "-c", script, "sh", env).Output()
		if err != nil {
			t.Fatal(err)
		}
		want := "4242\nit's a secret\nhttps://cohortbot.example.org\n" + strings.TrimRight(key, "\n")
		if d := cmp.Diff(want, string(got)); d != "" {
			t.Errorf("values seen by sh (-want +got):\n%s", d)
		}
	})
	t.Run("secret", func(t *testing.T) {
		var s struct {
			APIVersion string            `yaml:"apiVersion"`
			Kind       string            `yaml:"kind"`
			Metadata   map[string]string `yaml:"metadata"`
			StringData map[string]string `yaml:"stringData"`
		}
		if err := yaml.Unmarshal([]byte(export(t, "secret")), &s); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"integration-id": "4242", "webhook-secret": "it's a secret", "private-key": key}
		if d := cmp.Diff(want, s.StringData); d != "" {
			t.Errorf("stringData (-want +got):\n%s", d)
		}
		// The name and keys deploy/kubernetes/base/deployment.yaml reads.
		if s.APIVersion != "v1" || s.Kind != "Secret" || s.Metadata["name"] != "cohortbot-github-app" {
			t.Errorf("secret header = %s %s %v", s.APIVersion, s.Kind, s.Metadata)
		}
		manifest, err := os.ReadFile("../../deploy/kubernetes/base/deployment.yaml")
		if err != nil {
			t.Fatal(err)
		}
		for k := range want {
			if !strings.Contains(string(manifest), "key: "+k) {
				t.Errorf("deployment.yaml reads no key %q of secret cohortbot-github-app", k)
			}
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for _, args := range [][]string{
			{"credentials", "export", "--config", path},
			{"credentials", "export", "--config", path, "--format", "json"},
			{"credentials", "export", "--config", filepath.Join(t.TempDir(), "none.yml"), "--format", "pem"},
		} {
			var out bytes.Buffer
			if err := runWithOutput(context.Background(), args, &out); err == nil || out.Len() > 0 {
				t.Errorf("%v: err = %v, output %q; want an error and no output", args, err, out.String())
			}
		}
	})
}
