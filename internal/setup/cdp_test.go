package setup_test

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// browser is a headless Chromium driven over the Chrome DevTools protocol,
// with a minimal standard-library WebSocket client (text frames only), so the
// module gains no browser-automation dependency.
type browser struct {
	conn net.Conn
	r    *bufio.Reader
	id   int
}

const chromiumPath = "/usr/bin/chromium"

// startBrowser launches Chromium and attaches to its first page.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("COHORTBOT_TEST_REQUIRE_CHROMIUM") != "" { // .ci/run sets it
			t.Fatal("no " + chromiumPath + " though COHORTBOT_TEST_REQUIRE_CHROMIUM is set (apt-get install chromium)")
		}
		t.Skip("no " + chromiumPath + " (apt-get install chromium)")
	}
	// Not t.TempDir: Chromium's helper processes may still write the profile
	// while the directory is removed, which would fail the test.
	dir, err := os.MkdirTemp("", "cohortbot-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromiumPath, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir="+dir, "about:blank")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers stop with it
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		for i := 0; i < 20 && os.RemoveAll(dir) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	port := waitPort(t, filepath.Join(dir, "DevToolsActivePort"))
	wsURL := pageTarget(t, port)
	b, err := dialWS(wsURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.conn.Close() })
	return b
}

func waitPort(t *testing.T, file string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(file); err == nil {
			if port, _, ok := strings.Cut(string(b), "\n"); ok && port != "" {
				return port
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("Chromium did not open its DevTools port")
	return ""
}

func pageTarget(t *testing.T, port string) string {
	t.Helper()
	resp, err := http.Get("http://127.0.0.1:" + port + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var targets []struct{ Type, WebSocketDebuggerURL string }
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		if tg.Type == "page" {
			return tg.WebSocketDebuggerURL
		}
	}
	t.Fatalf("no page target in %+v", targets)
	return ""
}

func dialWS(raw string) (*browser, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	rand.Read(key)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, base64.StdEncoding.EncodeToString(key))
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %s", resp.Status)
	}
	return &browser{conn: conn, r: r}, nil
}

// writeText sends one masked text frame, as clients must.
func (b *browser) writeText(p []byte) error {
	hdr := []byte{0x81}
	switch n := len(p); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = binary.BigEndian.AppendUint64(append(hdr, 0x80|127), uint64(n))
	}
	mask := make([]byte, 4)
	rand.Read(mask)
	masked := make([]byte, len(p))
	for i := range p {
		masked[i] = p[i] ^ mask[i%4]
	}
	_, err := b.conn.Write(append(append(hdr, mask...), masked...))
	return err
}

// readMessage reads one message, joining continuation frames.
func (b *browser) readMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(b.r, h[:]); err != nil {
			return nil, err
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var l [2]byte
			if _, err := io.ReadFull(b.r, l[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(l[:]))
		case 127:
			var l [8]byte
			if _, err := io.ReadFull(b.r, l[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(l[:])
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(b.r, p); err != nil {
			return nil, err
		}
		if op := h[0] & 0x0f; op == 0x8 {
			return nil, errors.New("browser closed the DevTools connection")
		} else if op == 0x9 || op == 0xA {
			continue // ping/pong
		}
		msg = append(msg, p...)
		if h[0]&0x80 != 0 {
			return msg, nil
		}
	}
}

// call sends a DevTools command and returns its result, skipping events.
func (b *browser) call(method string, params map[string]any) (json.RawMessage, error) {
	b.id++
	req, _ := json.Marshal(map[string]any{"id": b.id, "method": method, "params": params})
	b.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if err := b.writeText(req); err != nil {
		return nil, err
	}
	for {
		m, err := b.readMessage()
		if err != nil {
			return nil, err
		}
		var resp struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(m, &resp); err != nil {
			return nil, err
		}
		if resp.ID != b.id {
			continue
		}
		if resp.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, resp.Error.Message)
		}
		return resp.Result, nil
	}
}

// navigate opens u in the page.
func (b *browser) navigate(t *testing.T, u string) {
	t.Helper()
	if _, err := b.call("Page.navigate", map[string]any{"url": u}); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page and returns its string value.
func (b *browser) eval(t *testing.T, expr string) string {
	t.Helper()
	res, err := b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Result struct{ Value any } }
	json.Unmarshal(res, &r)
	s, _ := r.Result.Value.(string)
	return s
}

// waitFor polls expr until it returns a string containing want. Errors are
// retried: while the page navigates, evaluation fails for a moment.
func (b *browser) waitFor(t *testing.T, expr, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		res, err := b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
		if err != nil {
			got = err.Error()
			continue
		}
		var r struct{ Result struct{ Value any } }
		json.Unmarshal(res, &r)
		if got, _ = r.Result.Value.(string); strings.Contains(got, want) {
			return got
		}
	}
	t.Fatalf("page never showed %q; last saw:\n%s", want, got)
	return ""
}
