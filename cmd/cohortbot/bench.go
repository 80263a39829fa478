package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/internal/bench"
)

// benchCmd runs the performance benchmark (docs/PERFORMANCE.md): this very
// executable is started again as `cohortbot serve`, so the figures are the
// real server's, peak RSS included.
func benchCmd() *cobra.Command {
	var o bench.Options
	var inProcess bool
	cmd := &cobra.Command{
		Use:   "bench [--short]",
		Short: "Measure the server against the simulated GitHub and print the figures and their budgets",
		Long: "bench starts `cohortbot serve` on a temporary SQLite database against an in-process simulated\n" +
			"GitHub, drives it over loopback HTTP with signed, real-shaped webhook deliveries and prints a table:\n" +
			"acknowledgement rates and latencies, delivery → 👍 time, GitHub requests per check-in, an idle tick\n" +
			"over 1,000 cohorts and the server's peak RSS, each with its budget. It takes under five minutes;\n" +
			"--short is a smoke run of a few seconds. No credentials, no network beyond loopback.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !inProcess {
				exe, err := os.Executable()
				if err != nil {
					return fmt.Errorf("find this executable to start it as serve: %w", err)
				}
				o.Binary = exe
			}
			o.Progress = cmd.ErrOrStderr()
			res, err := bench.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			res.Print(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().BoolVar(&o.Short, "short", false, "smoke run: a few hundred deliveries, seconds; the figures do not judge the budgets")
	cmd.Flags().BoolVar(&inProcess, "in-process", false, "run the server inside the bench process (for --cpuprofile; RSS then includes the simulated GitHub)")
	cmd.Flags().StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile per phase to PREFIX-PHASE.pprof (use with --in-process to see the server)")
	cmd.Flags().BoolVar(&o.KeepDir, "keep", false, "keep the temporary directory with the database and the server log")
	return cmd
}
