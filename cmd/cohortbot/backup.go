package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/store"
)

// backupCmd copies the SQLite database while `serve` keeps running, so
// operators need neither downtime nor the sqlite3 tool to take a backup.
func backupCmd(load func() (config.Server, error)) *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "backup --to FILE|-",
		Short: "Write a consistent copy of the SQLite database (safe while serving)",
		Long: "Write a consistent copy of the SQLite database named by COHORTBOT_DATABASE_URL\n" +
			"(or database_url in --config) to FILE, while `cohortbot serve` keeps running.\n" +
			"FILE must not exist; - writes the copy to stdout (kubectl exec … -- cohortbot backup --to - > backup.db).\n" +
			"For PostgreSQL use pg_dump.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := load()
			if err != nil {
				return err
			}
			if to == "-" {
				// The copy goes to stdout, for `kubectl exec … > backup.db`:
				// nothing else may be written there.
				return store.BackupTo(cmd.Context(), cfg.DatabaseURL, cmd.OutOrStdout())
			}
			if err := store.Backup(cmd.Context(), cfg.DatabaseURL, to); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote a consistent copy of %s to %s\n", cfg.DatabaseURL, to)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "file to write the copy to (must not exist), or - for stdout")
	return cmd
}
