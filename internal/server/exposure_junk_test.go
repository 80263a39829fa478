package server

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// junkRequest is the i-th of the junk test's requests: a random event name
// and delivery id, headers of several KB, and a missing, malformed or
// well-formed but wrong signature.
func junkRequest(i int) (hookRequest, http.Header) {
	name := func(n int) string {
		b := make([]byte, n)
		for j := range b {
			b[j] = "abcdefghijklmnopqrstuvwxyz_"[rand.IntN(27)]
		}
		return string(b)
	}
	r := hookRequest{size: 2, event: name(8 + rand.IntN(24)), delivery: name(36)}
	switch i % 3 {
	case 1:
		r.signature = "sha1=" + strings.Repeat("0", 40)
	case 2:
		r.signature = "sha256=" + strings.Repeat("0", 64)
	}
	if i%2 == 0 {
		r.event = name(6000) // a huge header, under the 16 KiB limit
		r.delivery = name(6000)
	}
	h := http.Header{"User-Agent": {name(2000)}}
	return r, h
}

// TestExposureJunk: 3,000 requests with random event names and headers of
// several KB, unsigned or wrongly signed, leave /metrics about the size it
// was (every unknown event is counted as "other") and the log bounded
// (header values clipped, warnings rate-limited); headers over 16 KiB are
// refused by the server itself (issue 12: 58k series and a 6.4 MB /metrics
// in 20 s; a 950 KB log line).
func TestExposureJunk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cohortbot and sends it 3,000 requests")
	}
	p := startServe(t)
	metricsBefore := p.metricsSize(t)
	logBefore := fileSize(t, p.log)
	started := time.Now()
	const n, workers = 3000, 8
	client := &http.Client{}
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				r, h := junkRequest(i)
				code := p.postHeaders(client, r, h)
				mu.Lock()
				statuses[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(started)
	r, h := junkRequest(0)
	h.Set("X-Padding", strings.Repeat("x", 40<<10))
	if code := p.postHeaders(client, r, h); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a request with 40 KiB of headers: %d, want 431", code)
	}
	metricsAfter := p.metricsSize(t)
	logAfter := fileSize(t, p.log)
	t.Logf("%d junk requests in %s: answers %v; /metrics %d → %d bytes; log %d → %d bytes",
		n, elapsed.Round(time.Millisecond), statuses, metricsBefore, metricsAfter, logBefore, logAfter)
	if statuses[http.StatusUnauthorized] != n {
		t.Errorf("answers %v, want all %d 401", statuses, n)
	}
	// The new series: event "other" with outcome "unauthorized", and the
	// runtime's figures changing by a few digits.
	if metricsAfter > metricsBefore+4<<10 {
		t.Errorf("/metrics grew from %d to %d bytes", metricsBefore, metricsAfter)
	}
	// At most the burst and one warning a second, each at most a few
	// header values of maxLoggedHeader bytes.
	lines := refusalBurst + int(elapsed/refusalEvery) + 1
	if grew := logAfter - logBefore; grew > int64(lines*2048) {
		t.Errorf("the log grew by %d bytes, want at most %d lines of 2 KiB", grew, lines)
	}
	log, _ := os.ReadFile(p.log)
	for _, line := range bytes.Split(log, []byte("\n")) {
		if len(line) > 2048 {
			t.Errorf("a log line of %d bytes: %.300s…", len(line), line)
			break
		}
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
