package bench

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// delivery is one signed webhook delivery, ready to send.
type delivery struct {
	event string
	id    string // X-GitHub-Delivery; "" draws a fresh one per send
	body  []byte
	sig   string // X-Hub-Signature-256
}

// newDelivery signs payload as GitHub does, once, so the load loops spend
// their time in the server rather than in HMAC.
func newDelivery(event, id string, payload []byte) delivery {
	mac := hmac.New(sha256.New, []byte(webhookSecret))
	mac.Write(payload)
	return delivery{event: event, id: id, body: payload, sig: "sha256=" + hex.EncodeToString(mac.Sum(nil))}
}

// newDeliveryID returns a random UUID-shaped delivery id, as GitHub's.
func newDeliveryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// loadResult is what one load loop measured.
type loadResult struct {
	sent     int
	elapsed  time.Duration
	statuses map[int]int // HTTP status → count; 0 for transport errors
	lat      []time.Duration
	lastErr  error
}

// rate is the deliveries answered per second.
func (r loadResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.sent) / r.elapsed.Seconds()
}

// pct is the q-quantile (0 < q ≤ 1) of the latencies, nearest rank.
func (r loadResult) pct(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), r.lat...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// unexpected describes the answers that were not want, or "".
func (r loadResult) unexpected(want int) string {
	var bad []string
	for st, n := range r.statuses {
		if st != want {
			bad = append(bad, fmt.Sprintf("%d× status %d", n, st))
		}
	}
	sort.Strings(bad)
	if len(bad) == 0 {
		return ""
	}
	s := fmt.Sprint(bad)
	if r.lastErr != nil {
		s += " (last error: " + r.lastErr.Error() + ")"
	}
	return s
}

// collector gathers the answers of concurrent sends.
type collector struct {
	mu  sync.Mutex
	res loadResult
}

func newCollector(n int) *collector {
	return &collector{res: loadResult{statuses: map[int]int{}, lat: make([]time.Duration, 0, n)}}
}

func (c *collector) add(status int, d time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.res.sent++
	c.res.statuses[status]++
	c.res.lat = append(c.res.lat, d)
	if err != nil {
		c.res.lastErr = err
	}
}

// closedLoop sends as fast as conc concurrent senders can, until n
// deliveries or maxTime: the sustained rate.
func closedLoop(ctx context.Context, s *sender, n, conc int, maxTime time.Duration, next func(i int) delivery) loadResult {
	c := newCollector(n)
	var i atomic.Int64
	deadline := time.Now().Add(maxTime)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				k := int(i.Add(1)) - 1
				if k >= n {
					return
				}
				c.add(s.send(ctx, next(k)))
			}
		}()
	}
	wg.Wait()
	c.res.elapsed = time.Since(start)
	return c.res
}

// openLoop offers n deliveries at a fixed rate per second, each sent on
// schedule whether or not earlier ones were answered (no coordinated
// omission): the acknowledgement latency at that load.
func openLoop(ctx context.Context, s *sender, n int, perSecond float64, next func(i int) delivery) loadResult {
	c := newCollector(n)
	interval := time.Duration(float64(time.Second) / perSecond)
	start := time.Now()
	var wg sync.WaitGroup
	for k := 0; k < n && ctx.Err() == nil; k++ {
		if wait := time.Until(start.Add(time.Duration(k) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		d := next(k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.add(s.send(ctx, d))
		}()
	}
	wg.Wait()
	c.res.elapsed = time.Since(start)
	return c.res
}
