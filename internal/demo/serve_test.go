package demo_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/demo"
)

// TestServePrintsTheOverview: `cohortbot demo --serve` prints the overview's
// URL after the story, the URL serves the demo's cohort, and the demo stops
// serving when its context ends (Ctrl-C).
func TestServePrintsTheOverview(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- demo.Serve(ctx, w, t.TempDir()); w.Close() }()
	var url string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "The program overview: "); ok {
			url = u
			break
		}
	}
	go io.Copy(io.Discard, r)
	if url == "" {
		t.Fatalf("the demo printed no overview URL (ended with %v)", <-done)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `href="/cohorts/`) {
		t.Errorf("overview at %s: status %d, no cohort linked:\n%s", url, resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("demo.Serve after Ctrl-C: %v", err)
	}
}
