package server

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvExposureBinary names a prebuilt cohortbot for the exposure tests
// (e.g. one built from an older commit, to measure it); unset, the tests
// build this tree's.
const EnvExposureBinary = "COHORTBOT_EXPOSURE_BINARY"

// proc is a `cohortbot serve` process started by a test, its log (stderr)
// kept in a file.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	secret string
	log    string
}

// startServe builds cohortbot (or takes EnvExposureBinary) and starts
// `cohortbot serve` on a free loopback port with a fresh SQLite database and
// GitHub out of reach (nothing here is stored, so nothing is sent), and
// waits for /healthz.
func startServe(t *testing.T) *proc {
	t.Helper()
	dir := t.TempDir()
	bin := os.Getenv(EnvExposureBinary)
	if bin == "" {
		var err error
		if bin, err = exposureBuild(); err != nil {
			t.Fatal(err)
		}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{addr: ln.Addr().String(), secret: "exposure-secret", log: filepath.Join(dir, "serve.log")}
	ln.Close()
	logf, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"COHORTBOT_ADDRESS=" + p.addr,
		"COHORTBOT_DATABASE_URL=sqlite://" + filepath.Join(dir, "cohortbot.db"),
		"COHORTBOT_TICK_INTERVAL=1h",
		"GITHUB_V3_API_URL=http://127.0.0.1:1/",
		"GITHUB_APP_INTEGRATION_ID=1",
		"GITHUB_APP_WEBHOOK_SECRET=" + p.secret,
		"GITHUB_APP_PRIVATE_KEY=" + string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
	}
	p.cmd.Stderr, p.cmd.Stdout = logf, logf
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return p
		}
		select {
		case <-ctx.Done():
			out, _ := os.ReadFile(p.log)
			t.Fatalf("cohortbot serve did not answer /healthz: %v\n%s", err, out)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// peakRSS is the process's peak resident set size (VmHWM), in bytes.
func (p *proc) peakRSS(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}

// zeros is an endless body that holds nothing in the test's memory.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// hookRequest is one webhook POST: size bytes of zeros, with a Content-Length
// unless chunked, and the given signature header (none when "").
type hookRequest struct {
	size      int64
	chunked   bool
	signature string
	event     string
	delivery  string
}

// post sends r and returns the status, or 0 when the server cut the
// connection before answering (it may, once it has refused a body it will
// not read).
func (p *proc) post(client *http.Client, r hookRequest) int {
	return p.postHeaders(client, r, nil)
}

// postHeaders is post with the extra headers h.
func (p *proc) postHeaders(client *http.Client, r hookRequest, h http.Header) int {
	var body io.Reader = io.LimitReader(zeros{}, r.size)
	if r.chunked {
		body = io.MultiReader(body) // hides the length: sent chunked
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+p.addr+"/api/github/hook", body)
	if err != nil {
		panic(err)
	}
	if !r.chunked {
		req.ContentLength = r.size
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", cmpOr(r.event, "issue_comment"))
	req.Header.Set("X-GitHub-Delivery", cmpOr(r.delivery, "probe"))
	if r.signature != "" {
		req.Header.Set("X-Hub-Signature-256", r.signature)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// zeroSignature is the true signature of n zero bytes.
func zeroSignature(secret string, n int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	io.Copy(mac, io.LimitReader(zeros{}, n))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// burst sends n copies of r at once and counts the answers by status.
func (p *proc) burst(n int, r hookRequest) map[int]int {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			code := p.post(client, r)
			mu.Lock()
			got[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

// TestExposureMemory: the probe — 16 concurrent unsigned 24 MB
// POSTs, which took `cohortbot serve` from 44 MB to 359 MB — and the same
// with a signature header (declared and chunked), then bodies just under the
// cap, more at once than the body budget holds, leave the process's peak
// resident size under SPEC §8's 128 MiB.
func TestExposureMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cohortbot and sends it about 1.2 GB")
	}
	p := startServe(t)
	base := p.peakRSS(t)
	const big = 24 << 20
	bigSig := zeroSignature(p.secret, big)
	nearCap := int64(2<<20 - 1)
	phases := []struct {
		name string
		n    int
		req  hookRequest
		ok   func(status int) bool
	}{
		{"unsigned 24 MB", 16, hookRequest{size: big}, oneOf(401)},
		{"signed 24 MB, declared", 16, hookRequest{size: big, signature: bigSig}, oneOf(413)},
		{"signed 24 MB, chunked", 16, hookRequest{size: big, signature: bigSig, chunked: true}, oneOf(413, 503)},
		{"well-formed wrong signature, 2 MiB", 32, hookRequest{size: nearCap, signature: "sha256=" + strings.Repeat("ab", 32)}, oneOf(401, 503)},
	}
	for _, ph := range phases {
		got := p.burst(ph.n, ph.req)
		for status, n := range got {
			// 0: the server answered and closed while the client was
			// still sending, as it may for a body it refuses unread.
			if status != 0 && !ph.ok(status) {
				t.Errorf("%s: %d answered %d", ph.name, n, status)
			}
		}
		t.Logf("%s × %d: answers %v; peak RSS now %.1f MiB", ph.name, ph.n, got, float64(p.peakRSS(t))/(1<<20))
	}
	peak := p.peakRSS(t)
	t.Logf("peak RSS: %.1f MiB at start, %.1f MiB after the probes", float64(base)/(1<<20), float64(peak)/(1<<20))
	if peak >= 128<<20 {
		t.Errorf("peak RSS %.1f MiB, want under 128 MiB (SPEC §8)", float64(peak)/(1<<20))
	}
}

func oneOf(codes ...int) func(int) bool {
	return func(c int) bool {
		for _, want := range codes {
			if c == want {
				return true
			}
		}
		return false
	}
}

// metricsSize is the size of the process's /metrics page.
func (p *proc) metricsSize(t *testing.T) int {
	t.Helper()
	resp, err := http.Get("http://" + p.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}
