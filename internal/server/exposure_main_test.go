package server

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// exposureBinDir holds the cohortbot the exposure tests run, built once per
// package run by the first test that needs it (linking it costs seconds of
// CPU); TestMain removes it.
var (
	exposureBinDir string
	exposureBuild  = sync.OnceValues(func() (string, error) {
		bin := filepath.Join(exposureBinDir, "cohortbot")
		out, err := exec.Command("go", "build", "-o", bin, "github.com/cohortbot/cohortbot/cmd/cohortbot").CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("go build: %v\n%s", err, out)
		}
		return bin, nil
	})
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cohortbot-exposure-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	exposureBinDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
