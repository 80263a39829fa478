package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
)

func tickCmd(load func() (config.Server, error)) *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "tick [--at RFC3339]",
		Short: "Run the scheduler's work once, as of an instant (default now), and exit when it is done",
		Long: "tick does, for every cohort, whatever is due at the given instant: week boundaries, reminders,\n" +
			"the midpoint comment, closing at the end date. It writes to GitHub, waits for the follow-up jobs\n" +
			"(board re-renders) and exits 0. It may run while serve runs on the same database: nothing is done twice.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			when := time.Now()
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return fmt.Errorf("--at must be an RFC 3339 instant like 2027-01-18T09:00:00Z (got %q)", at)
				}
				when = t
			}
			cfg, err := load()
			if err != nil {
				return err
			}
			if err := cfg.LoadCredentials(); err != nil {
				return fmt.Errorf("cannot tick: %w", err)
			}
			log := newLogger(cfg.LogLevel)
			ctx := log.WithContext(cmd.Context())
			srv, err := server.New(ctx, cfg, server.Options{Logger: log, Now: func() time.Time { return when }, NoPeriodic: true})
			if err != nil {
				return err
			}
			defer srv.Close(ctx)
			if err := srv.Start(ctx); err != nil {
				return err
			}
			rep, err := srv.Deps.Tick(ctx, when)
			if err != nil {
				return err
			}
			if err := srv.WaitIdle(ctx, 2*time.Minute); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "tick as of %s: %d cohorts due, %d done, %d busy (left for the next tick)\n",
				when.Format(time.RFC3339), rep.Due, rep.Done, rep.Busy)
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "the instant to run as of (RFC 3339); default now")
	return cmd
}
