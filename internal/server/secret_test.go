package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/config"
)

// TestNewRefusesAnEmptyWebhookSecret: whatever its caller checked, the
// server never builds a webhook route that would accept unsigned payloads.
func TestNewRefusesAnEmptyWebhookSecret(t *testing.T) {
	for _, secret := range []string{"", " \n"} {
		var cfg config.Server
		cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "c.db")
		cfg.GitHub.App.WebhookSecret = secret
		s, err := New(context.Background(), cfg, Options{})
		if err == nil {
			s.Close(context.Background())
			t.Fatalf("New with secret %q succeeded", secret)
		}
		if !strings.Contains(err.Error(), "GITHUB_APP_WEBHOOK_SECRET") {
			t.Errorf("error %q does not name GITHUB_APP_WEBHOOK_SECRET", err)
		}
	}
}
