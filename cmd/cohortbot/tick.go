package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
)

// futureSlack is how far past now --at may be without --force: clocks of
// the machine running tick and of the one that chose the instant differ.
const futureSlack = time.Minute

func tickCmd(load func() (config.Server, error)) *cobra.Command {
	var at string
	var dryRun, force bool
	cmd := &cobra.Command{
		Use:   "tick [--at RFC3339] [--dry-run] [--force]",
		Short: "Run the scheduler's work once, as of an instant (default now), and exit when it is done",
		Long: "tick does, for every cohort, whatever is due at the given instant: week boundaries, reminders,\n" +
			"the midpoint comment, closing at the end date. It writes to GitHub, waits for the follow-up jobs\n" +
			"(board re-renders) and exits 0. It may run while serve runs on the same database: nothing is done twice.\n" +
			"An --at instant in the future does now what is due then (weeks marked missed, cohorts closed early),\n" +
			"so it needs --force; --dry-run shows what would be done, sending no write to GitHub and leaving the\n" +
			"database as it was (the run uses a throwaway copy; SQLite only). tick needs no webhook secret.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now := time.Now()
			when := now
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return fmt.Errorf("--at must be an RFC 3339 instant like 2027-01-18T09:00:00Z (got %q)", at)
				}
				when = t
			}
			if when.After(now.Add(futureSlack)) && !force && !dryRun {
				return fmt.Errorf("--at %s is in the future: tick would do now, on GitHub, what is due only then "+
					"(mark weeks missed, close cohorts before their end). Add --dry-run to see what it would do, "+
					"or --force if you mean it", at)
			}
			cfg, err := loadApp(load, false)
			if err != nil {
				return fmt.Errorf("cannot tick: %w", err)
			}
			return tick(cmd, cfg, when, dryRun)
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "the instant to run as of (RFC 3339); default now")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the GitHub writes instead of sending them; leave the database as it was (SQLite)")
	cmd.Flags().BoolVar(&force, "force", false, "allow an --at instant in the future")
	return cmd
}

// tick runs the scheduler once as of when and prints what it did.
func tick(cmd *cobra.Command, cfg config.Server, when time.Time, dryRun bool) error {
	out := cmd.OutOrStdout()
	srv, gl, ctx, done, err := oneShot(cmd, cfg, dryRun, server.Options{Now: func() time.Time { return when }, NoPeriodic: true})
	if err != nil {
		return err
	}
	defer done()
	if err := srv.Start(ctx); err != nil {
		return err
	}
	rep, err := srv.Deps.Tick(ctx, when)
	if err == nil {
		err = srv.WaitIdle(ctx, 2*time.Minute)
	}
	prefix := "tick"
	if dryRun {
		prefix = "tick (dry run)"
	}
	fmt.Fprintf(out, "%s as of %s: %s due, %d done, %d busy (left for the next tick)\n%s\n",
		prefix, when.Format(time.RFC3339), plural(rep.Due, "cohort", "cohorts"), rep.Done, rep.Busy, gl.summary(err == nil))
	return err
}
