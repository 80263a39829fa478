package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func clearEnv(t *testing.T) {
	for _, k := range []string{"GITHUB_APP_INTEGRATION_ID", "GITHUB_APP_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY",
		"GITHUB_APP_PRIVATE_KEY_PATH", "COHORTBOT_DATABASE_URL", "COHORTBOT_ADDRESS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

func TestServeWithoutCredentialsSaysWhatIsMissing(t *testing.T) {
	clearEnv(t)
	t.Setenv("GITHUB_APP_INTEGRATION_ID", "12")
	t.Setenv("GITHUB_APP_PRIVATE_KEY", "not a key")
	err := run(context.Background(), []string{"serve"})
	if err == nil {
		t.Fatal("serve started without credentials")
	}
	for _, want := range []string{"GITHUB_APP_WEBHOOK_SECRET", "GITHUB_APP_PRIVATE_KEY is not PEM"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "GITHUB_APP_INTEGRATION_ID") {
		t.Errorf("error blames the integration id, which is set: %q", err)
	}
}

func TestServeRejectsBadConfigFile(t *testing.T) {
	clearEnv(t)
	f := filepath.Join(t.TempDir(), "c.yml")
	os.WriteFile(f, []byte("tick_interval: often\n"), 0o600)
	err := run(context.Background(), []string{"serve", "--config", f})
	if err == nil || !strings.Contains(err.Error(), "not a duration") {
		t.Fatalf("err = %v", err)
	}
}

func TestDemoTellsTheStory(t *testing.T) {
	t.Parallel() // runs its own processes or harness; reads no variable of this process
	var out bytes.Buffer
	dir := t.TempDir()
	root := []string{"demo", "--out", dir}
	if err := runWithOutput(context.Background(), root, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	// The program's story: weekly boundaries, a missed week and its
	// recovery, two in a row putting a mentee at risk, graduations, the close.
	for _, want := range []string{"files a new-cohort request", "fixes the request", "Cohort created", "issue-002.md",
		"Week 3 ended: 7/8 checked in", "[checkin/missed mentee/at-risk]", "Week 5 ended: 8/8 checked in",
		"4/8 graduated", "The task is done"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	hub, err := os.ReadFile(filepath.Join(dir, "issue-002.md"))
	if err != nil || !strings.Contains(string(hub), "## Check-in board") {
		t.Errorf("hub file: %v", err)
	}
}

// TestVersion: `version` and `--version` print the same line, naming the
// version, the commit and the Go release that built the binary.
func TestVersion(t *testing.T) {
	want := regexp.MustCompile(`^cohortbot \S+ \(commit \S+( \(modified\))?, ` + regexp.QuoteMeta(runtime.Version()) + `\)\n$`)
	var outs []string
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out bytes.Buffer
		if err := runWithOutput(context.Background(), args, &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !want.MatchString(out.String()) {
			t.Errorf("%v printed %q, want it to match %s", args, out.String(), want)
		}
		outs = append(outs, out.String())
	}
	if d := cmp.Diff(outs[0], outs[1]); d != "" {
		t.Errorf("version and --version differ (-version +--version):\n%s", d)
	}
}

// TestConfigFlagOnlyWhereRead: --config is offered by the commands that read
// the server config and refused by the others, instead of being ignored.
func TestConfigFlagOnlyWhereRead(t *testing.T) {
	f := filepath.Join(t.TempDir(), "c.yml")
	for _, args := range [][]string{{"demo"}, {"version"}, {"bench"}} {
		err := runWithOutput(context.Background(), append(args, "--config", f), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "unknown flag: --config") {
			t.Errorf("%v --config: err = %v, want unknown flag", args, err)
		}
	}
	for _, args := range [][]string{{"serve"}, {"receive"}, {"tick"}, {"backup"}, {"healthcheck"}, {"credentials", "export"}} {
		var out bytes.Buffer
		_ = runWithOutput(context.Background(), append(args, "--help"), &out)
		if !strings.Contains(out.String(), "--config") {
			t.Errorf("%v --help does not offer --config:\n%s", args, out.String())
		}
	}
}
