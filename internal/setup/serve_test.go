package setup_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/setup"
)

func TestDefaultCredentialsPath(t *testing.T) {
	tests := []struct{ name, url, want string }{
		{name: "container volume", url: "sqlite:///data/cohortbot.db", want: "/data/credentials.yml"},
		{name: "relative sqlite", url: "sqlite://cohortbot.db", want: "credentials.yml"},
		{name: "sqlite in a subdirectory", url: "sqlite://var/cb.db", want: "var/credentials.yml"},
		{name: "postgres", url: "postgres://u@h/db", want: "credentials.yml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, setup.DefaultCredentialsPath(tc.url)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestServeStopsWithContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- setup.Serve(ctx, ln, setup.Options{ManifestYAML: appYML(t), CredentialsPath: t.TempDir() + "/c.yml"})
	}()
	var resp *http.Response
	for i := 0; i < 50; i++ {
		if resp, err = http.Get("http://" + ln.Addr().String() + "/api/github/hook"); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("webhook route = %d, want 503", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop")
	}
}
