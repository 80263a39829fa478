package bench

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/server"
)

// target is the cohortbot server under test: `cohortbot serve` in its own
// process (so its peak RSS is its own), or in this process for profiling.
type target struct {
	url     string
	dbPath  string
	logPath string
	db      *sql.DB // a second connection, for reading the queue's progress

	proc   *exec.Cmd          // subprocess mode
	exited chan struct{}      // closed when the subprocess has exited
	result error              // the subprocess's exit, once exited
	stop   context.CancelFunc // in-process mode
	done   chan error         // in-process mode
}

// simConfig is the server configuration that points at the simulated GitHub.
func simConfig(sim *ghsim.Sim, dbURL, address string) (config.Server, error) {
	cfg, err := config.LoadServer("", func(string) (string, bool) { return "", false })
	if err != nil {
		return cfg, err
	}
	cfg.Address, cfg.DatabaseURL = address, dbURL
	cfg.GitHub.V3APIURL = sim.URL() + "/"
	cfg.GitHub.V4APIURL = sim.URL() + "/graphql"
	cfg.GitHub.WebURL = sim.URL()
	cfg.GitHub.App.IntegrationID = sim.AppID()
	cfg.GitHub.App.PrivateKey = string(sim.PrivateKeyPEM())
	cfg.GitHub.App.WebhookSecret = webhookSecret
	return cfg, cfg.LoadCredentials()
}

// startTarget starts the server on a fresh SQLite database in dir: binary
// `serve` configured by environment variables, or in-process when binary is
// "". writes paces its GitHub writes per minute (0: the default).
func startTarget(ctx context.Context, sim *ghsim.Sim, dir, binary string, writes int) (*target, error) {
	addr, err := freeAddress()
	if err != nil {
		return nil, err
	}
	t := &target{url: "http://" + addr, dbPath: filepath.Join(dir, "cohortbot.db"), logPath: filepath.Join(dir, "server.log")}
	if binary != "" {
		err = t.startProcess(sim, binary, addr, writes)
	} else {
		err = t.startInProcess(ctx, sim, addr, writes)
	}
	if err == nil {
		err = t.waitReady()
	}
	if err == nil {
		t.db, err = sql.Open("sqlite", "file:"+t.dbPath+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

func freeAddress() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startProcess runs `binary serve` from the environment alone, as an
// operator would, with its log in logPath.
func (t *target) startProcess(sim *ghsim.Sim, binary, addr string, writes int) error {
	logf, err := os.Create(t.logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(binary, "serve")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COHORTBOT_") && !strings.HasPrefix(kv, "GITHUB_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"GITHUB_V3_API_URL="+sim.URL()+"/",
		"GITHUB_WEB_URL="+sim.URL(),
		"GITHUB_APP_INTEGRATION_ID="+strconv.FormatInt(sim.AppID(), 10),
		"GITHUB_APP_PRIVATE_KEY="+string(sim.PrivateKeyPEM()),
		"GITHUB_APP_WEBHOOK_SECRET="+webhookSecret,
		"COHORTBOT_ADDRESS="+addr,
		"COHORTBOT_DATABASE_URL=sqlite://"+t.dbPath,
	)
	if writes > 0 {
		cmd.Env = append(cmd.Env, "COHORTBOT_GITHUB_WRITES_PER_MINUTE="+strconv.Itoa(writes))
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s serve: %w", binary, err)
	}
	t.proc, t.exited = cmd, make(chan struct{})
	go func() {
		t.result = cmd.Wait()
		close(t.exited)
	}()
	return nil
}

// startInProcess runs the same server in this process (for --cpuprofile).
func (t *target) startInProcess(ctx context.Context, sim *ghsim.Sim, addr string, writes int) error {
	cfg, err := simConfig(sim, "sqlite://"+t.dbPath, addr)
	if err != nil {
		return err
	}
	if writes > 0 {
		cfg.Limits.GitHubWritesPerMinute = writes
	}
	logf, err := os.Create(t.logPath)
	if err != nil {
		return err
	}
	log := zerolog.New(logf).Level(zerolog.InfoLevel).With().Timestamp().Logger()
	srv, err := server.New(ctx, cfg, server.Options{Logger: log})
	if err != nil {
		logf.Close()
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		srv.Close(ctx)
		logf.Close()
		return err
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	t.stop, t.done = cancel, make(chan error, 1)
	go func() {
		t.done <- srv.Serve(sctx, ln)
		logf.Close()
	}()
	return nil
}

// exitedEarly reports whether the subprocess has already exited.
func (t *target) exitedEarly() bool {
	if t.exited == nil {
		return false
	}
	select {
	case <-t.exited:
		return true
	default:
		return false
	}
}

func (t *target) waitReady() error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		if t.exitedEarly() {
			return fmt.Errorf("server exited (%v); see %s", t.result, t.logPath)
		}
		if resp, err := http.Get(t.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("server not ready after 30s; see %s", t.logPath)
}

// pending counts the jobs not yet finished (as queue.Pending does) of
// kind, or of every kind for "".
// Each is one query River's indexes answer: these polls share the server's
// database and two cores, and a full scan of the job table would weigh on
// the figures.
func (t *target) pending(ctx context.Context, kind string) (int, error) {
	q := `SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending')`
	args := []any{}
	if kind != "" {
		q += ` AND +kind = ?` // "+": the state index finds the few unfinished jobs
		args = append(args, kind)
	}
	var n int
	err := t.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// waitDeliveries waits until every stored delivery's job has finished
// (their coalesced re-renders may still be waiting). It polls slowly, to
// leave the database to the server.
func (t *target) waitDeliveries(ctx context.Context, timeout time.Duration) error {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if n, err := t.pending(ctx, "github_delivery"); err != nil || n == 0 {
			return err
		}
	}
	return fmt.Errorf("deliveries still pending after %s", timeout)
}

// waitFirstTick waits for the server's periodic tick that runs on start
// (River elects its leader first, which takes a few seconds on SQLite).
func (t *target) waitFirstTick(ctx context.Context) error {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var n int
		err := t.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'tick' AND state = 'completed'`).Scan(&n)
		if err != nil || n > 0 {
			return err
		}
	}
	return fmt.Errorf("the server's first tick did not run within a minute")
}

// waitIdle waits until the simulated GitHub has sent its deliveries and no
// job is pending, three polls in a row.
func (t *target) waitIdle(ctx context.Context, sim *ghsim.Sim, timeout time.Duration) error {
	quiet := 0
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); {
		sim.WaitDeliveries()
		n, err := t.pending(ctx, "")
		if err != nil {
			return err
		}
		if quiet = quiet + 1; n > 0 {
			quiet = 0
		}
		if quiet >= 3 {
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("jobs still pending after %s", timeout)
}

// cpuTime is the CPU time (user + system) the server process has used so
// far; zero in-process, where the server's cannot be told from the bench's.
func (t *target) cpuTime() time.Duration {
	if t.proc == nil {
		return 0
	}
	return processCPU(t.proc.Process.Pid)
}

// benchCPU is the CPU time this process (the load generator and the
// simulated GitHub) has used so far; zero in-process.
func (t *target) benchCPU() time.Duration {
	if t.proc == nil {
		return 0
	}
	return processCPU(os.Getpid())
}

// processCPU reads a process's CPU time from /proc; zero if it cannot.
func processCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are
	// the 14th and 15th fields, in clock ticks (USER_HZ, 100 on Linux).
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	sy, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+sy) * 10 * time.Millisecond
}

// peakRSS is the server's peak resident set (VmHWM) in bytes: the
// subprocess's own, or this whole process's in-process mode.
func (t *target) peakRSS() (int64, error) {
	pid := os.Getpid()
	if t.proc != nil {
		pid = t.proc.Process.Pid
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// close stops the server gracefully (SIGTERM, as an orchestrator does) and
// releases the reading connection.
func (t *target) close() error {
	if t.db != nil {
		t.db.Close()
		t.db = nil
	}
	var err error
	switch {
	case t.proc != nil && !t.exitedEarly():
		_ = t.proc.Process.Signal(syscall.SIGTERM)
		select {
		case <-t.exited:
			err = t.result
		case <-time.After(30 * time.Second):
			_ = t.proc.Process.Kill()
			<-t.exited
			err = fmt.Errorf("server did not stop within 30s of SIGTERM; killed")
		}
	case t.stop != nil:
		t.stop()
		err = <-t.done
		t.stop = nil
	}
	return err
}
