package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
)

func receiveCmd(load func() (config.Server, error)) *cobra.Command {
	var event, payloadPath string
	cmd := &cobra.Command{
		Use:   "receive -e EVENT -p payload.json",
		Short: "Handle one webhook payload now, for local debugging (as Probot's receive)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			payload, err := os.ReadFile(payloadPath)
			if err != nil {
				return fmt.Errorf("read payload: %w", err)
			}
			cfg, err := load()
			if err != nil {
				return err
			}
			if err := cfg.LoadCredentials(); err != nil {
				return fmt.Errorf("cannot handle the payload: %w", err)
			}
			log := newLogger(cfg.LogLevel)
			ctx := log.WithContext(cmd.Context())
			srv, err := server.New(ctx, cfg, server.Options{Logger: log, NoWorkers: true})
			if err != nil {
				return err
			}
			defer srv.Close(ctx)
			result, err := srv.Receive(ctx, event, payload)
			fmt.Fprintln(cmd.OutOrStdout(), result)
			return err
		},
	}
	cmd.Flags().StringVarP(&event, "event", "e", "", "event name, as in X-GitHub-Event (e.g. issues)")
	cmd.Flags().StringVarP(&payloadPath, "payload", "p", "", "path to the JSON payload")
	_ = cmd.MarkFlagRequired("event")
	_ = cmd.MarkFlagRequired("payload")
	return cmd
}
