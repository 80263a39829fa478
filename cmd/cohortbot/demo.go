package main

import (
	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/internal/demo"
)

func demoCmd() *cobra.Command {
	var out string
	var serve bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a whole cohort's life against an in-process simulated GitHub and print what happened",
		Long: "demo starts a simulated GitHub and the real cohortbot server on loopback with a temporary SQLite\n" +
			"database, plays a cohort's life through real signed webhooks, prints each step and writes the\n" +
			"resulting issues as Markdown files. It needs no credentials and no network.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if serve {
				return demo.Serve(cmd.Context(), cmd.OutOrStdout(), out)
			}
			return demo.Run(cmd.Context(), cmd.OutOrStdout(), out)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory for the rendered issues (default: a new temporary directory)")
	cmd.Flags().BoolVar(&serve, "serve", false, "afterwards, print the URL of the program's web pages and serve them until Ctrl-C")
	return cmd
}
