package main

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
)

func serveCmd(load func() (config.Server, error)) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the webhook server, the workers and the scheduler",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := load()
			if err != nil {
				return err
			}
			if err := cfg.LoadCredentials(); err != nil {
				return fmt.Errorf("cannot start: %w", err)
			}
			log := newLogger(cfg.LogLevel)
			ctx := log.WithContext(cmd.Context())
			srv, err := server.New(ctx, cfg, server.Options{Logger: log})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", cfg.Address)
			if err != nil {
				srv.Close(ctx)
				return fmt.Errorf("listen on %s (COHORTBOT_ADDRESS): %w", cfg.Address, err)
			}
			return srv.Serve(ctx, ln)
		},
	}
}
