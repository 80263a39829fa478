package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/config"
)

// TestNoWebhooksNeedsNoSecret: a server for a command that accepts no
// webhooks (receive, tick) builds without a secret, and its webhook route
// refuses every delivery rather than accept it unsigned.
func TestNoWebhooksNeedsNoSecret(t *testing.T) {
	var cfg config.Server
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "c.db")
	s, err := New(context.Background(), cfg, Options{NoWebhooks: true, NoWorkers: true})
	if err != nil {
		t.Fatalf("New without a secret for NoWebhooks: %v", err)
	}
	defer s.Close(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/api/github/hook", bytes.NewReader([]byte(`{"action":"opened"}`)))
	req.Header.Set("X-GitHub-Event", "issues")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if d := cmp.Diff(http.StatusServiceUnavailable, rec.Code); d != "" {
		t.Errorf("unsigned delivery answered (-want +got):\n%s", d)
	}
}

// TestReceiveRefusesUnknownEvents: receive names the events it handles
// instead of reporting an unknown one as handled or ignored.
func TestReceiveRefusesUnknownEvents(t *testing.T) {
	if d := cmp.Diff([]string{"issue_comment", "issues", "pull_request", "pull_request_review"}, HandledEvents()); d != "" {
		t.Errorf("handled events (-want +got):\n%s", d)
	}
	var cfg config.Server
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "c.db")
	s, err := New(context.Background(), cfg, Options{NoWebhooks: true, NoWorkers: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	_, err = s.Receive(context.Background(), "ping", []byte(`{}`))
	want := `unknown event "ping": cohortbot handles only issue_comment, issues, pull_request, pull_request_review`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
