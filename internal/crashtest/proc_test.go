// Package crashtest runs the real `cohortbot serve` binary as subprocesses
// against the simulated GitHub, kills them with SIGKILL at chosen points of
// a busy run, restarts them on the same database, and checks that the
// simulated GitHub ends exactly as after a run without crashes. With
// COHORTBOT_TEST_POSTGRES_URL set it also runs two replicas on one
// PostgreSQL database.
package crashtest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/testlog"
)

// binary is the cohortbot executable built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cohortbot-crashtest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cohortbot")
	build := exec.Command("go", "build", "-o", binary, "github.com/cohortbot/cohortbot/cmd/cohortbot")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build cohortbot:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// freeAddr returns a loopback address nothing listens on (the process
// restarted after a crash listens on the same one, as a service would).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// replica is one `cohortbot serve` slot: started, killed with SIGKILL and
// started again on the same address and database, as a process manager
// restarts a service.
type replica struct {
	t    *testing.T
	name string
	addr string
	env  []string
	logs testlog.Buffer

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	starts int
}

func newReplica(t *testing.T, name string, env []string) *replica {
	r := &replica{t: t, name: name, addr: freeAddr(t), env: env}
	t.Cleanup(func() {
		r.kill()
		if t.Failed() {
			t.Logf("logs of %s (last 6000 bytes):\n%s", name, tail(r.logs.String(), 6000))
		}
	})
	return r
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// URL is the replica's base URL.
func (r *replica) URL() string { return "http://" + r.addr }

// start starts the process and waits until it answers /readyz.
func (r *replica) start() error {
	r.mu.Lock()
	cmd := newCommand(append(r.env, "COHORTBOT_ADDRESS="+r.addr), "serve")
	r.starts++
	fmt.Fprintf(&r.logs, "=== start %d of %s\n", r.starts, r.name)
	cmd.Stdout, cmd.Stderr = &r.logs, &r.logs
	if err := cmd.Start(); err != nil {
		r.mu.Unlock()
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	r.cmd, r.exited = cmd, exited
	r.mu.Unlock()
	return r.waitReady(exited)
}

func (r *replica) waitReady(exited chan struct{}) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("%s exited at start:\n%s", r.name, tail(r.logs.String(), 3000))
		default:
		}
		if r.ready() {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after 30s", r.name)
}

// ready reports whether the process answers /readyz.
func (r *replica) ready() bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(r.URL() + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// kill sends SIGKILL and waits for the process to be gone: no deferred
// function, no graceful shutdown, the database left as the instant found it.
func (r *replica) kill() {
	r.mu.Lock()
	cmd, exited := r.cmd, r.exited
	r.cmd = nil
	r.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-exited
	fmt.Fprintf(&r.logs, "=== SIGKILL %s\n", r.name)
}

// crash kills the process and starts it again in the background.
func (r *replica) crash() {
	r.kill()
	go func() {
		if err := r.start(); err != nil {
			r.t.Errorf("restart %s: %v", r.name, err)
		}
	}()
}

// startCount is how many times the process was started.
func (r *replica) startCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.starts
}

// newCommand is a cohortbot command with env added to the test's own.
func newCommand(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// running reports whether the process is up (started and not killed).
func (r *replica) running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cmd != nil
}
