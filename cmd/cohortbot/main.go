// Command cohortbot is a GitHub App that runs group-mentoring cohorts. See
// the README for the commands; `cohortbot --help` lists them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cohortbot:", err)
		os.Exit(1)
	}
}

// run builds the command tree and executes it with args.
func run(ctx context.Context, args []string) error { return runWithOutput(ctx, args, os.Stdout) }

// runWithOutput is run with the commands' output sent to out.
func runWithOutput(ctx context.Context, args []string, out io.Writer) error {
	root := &cobra.Command{
		Use:           "cohortbot",
		Short:         "A GitHub App that runs group-mentoring cohorts",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionLine(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	var configPath string
	load := func() (config.Server, error) { return config.LoadServer(configPath, os.LookupEnv) }
	root.AddCommand(
		serveCmd(load),
		receiveCmd(load),
		tickCmd(load),
		demoCmd(),
		versionCmd(),
		backupCmd(load),
		credentialsCmd(load),
		healthcheckCmd(load),
		benchCmd(),
	)
	addConfigFlag(root, &configPath)
	root.SetArgs(args)
	root.SetOut(out)
	return root.ExecuteContext(ctx)
}

// readsConfig names the commands that read the server config; only they take
// --config, so `demo --config x` is refused rather than silently ignored.
var readsConfig = map[string]bool{
	"serve": true, "receive": true, "tick": true, "backup": true, "healthcheck": true, "credentials export": true,
}

func addConfigFlag(root *cobra.Command, path *string) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		name := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		if readsConfig[name] {
			c.Flags().StringVar(path, "config", "", "server config file (YAML; see config/cohortbot.example.yml); environment variables override it")
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), versionLine()) },
	}
}

// versionLine says which build this is: the release version (set by the
// linker) or the module's, the commit and the Go that built it, from the
// binary's own build information.
func versionLine() string {
	version, commit, goVersion := server.Version, "unknown", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					commit += " (modified)"
				}
			}
		}
	}
	return fmt.Sprintf("cohortbot %s (commit %s, %s)", version, commit, goVersion)
}

// newLogger logs JSON lines to stderr at level.
func newLogger(level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	var w io.Writer = os.Stderr
	if isTerminal(os.Stderr) {
		// A person at a terminal reads lines, not JSON; a container's
		// log collector gets JSON.
		w = zerolog.ConsoleWriter{Out: os.Stderr, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Str("version", server.Version).Logger()
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
