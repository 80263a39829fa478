package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeAddressFlag: serve --address listens there, not on
// COHORTBOT_ADDRESS, and healthcheck --address finds it there.
func TestServeAddressFlag(t *testing.T) {
	t.Parallel() // runs its own processes or harness; reads no variable of this process
	addr, elsewhere := freeAddr(t), closedAddr(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "COHORTBOT_LOG_LEVEL=warn",
		"GITHUB_APP_INTEGRATION_ID=12", "GITHUB_APP_PRIVATE_KEY=" + testKeyPEM(t), "GITHUB_APP_WEBHOOK_SECRET=s",
		"COHORTBOT_DATABASE_URL=sqlite://" + filepath.Join(t.TempDir(), "c.db"), "COHORTBOT_ADDRESS=" + elsewhere}
	serve := exec.Command(binary(t), "serve", "--address", addr)
	serve.Env = env
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(syscall.SIGTERM)
		if err := serve.Wait(); err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	}()
	waitReady(t, "http://"+addr+"/readyz")

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{name: "--address", args: []string{"healthcheck", "--address", addr}},
		{name: "COHORTBOT_ADDRESS, where nothing listens", args: []string{"healthcheck"}, wantCode: 1, wantErr: "cohortbot: health check: Get \"http://" + elsewhere + "/healthz\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hc := exec.Command(binary(t), tc.args...)
			hc.Env = env
			out, err := hc.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != tc.wantCode || !strings.HasPrefix(string(out), tc.wantErr) {
				t.Errorf("exit %d, output %q; want %d, %q", code, out, tc.wantCode, tc.wantErr)
			}
		})
	}
}
