package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/config"
)

// healthcheckCmd asks the running server's /healthz. The container image has
// no shell or curl (distroless), so Docker's HEALTHCHECK runs the binary itself.
func healthcheckCmd(load func() (config.Server, error)) *cobra.Command {
	var address string
	cmd := &cobra.Command{
		Use:   "healthcheck [--address HOST:PORT]",
		Short: "Exit 0 when the server on COHORTBOT_ADDRESS answers /healthz (for container health checks)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if address == "" {
				cfg, err := load()
				if err != nil {
					return err
				}
				address = cfg.Address
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 3*time.Second)
			defer cancel()
			return checkHealth(ctx, healthURL(address))
		},
	}
	// serve --address moves the server; its health check follows it.
	cmd.Flags().StringVar(&address, "address", "", "the address serve listens on, as given to serve --address (overrides COHORTBOT_ADDRESS)")
	return cmd
}

// healthURL turns a listen address into one to dial: a server listening on
// every interface (0.0.0.0, ::, or no host) is reached on loopback.
func healthURL(address string) string {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return "http://" + address + "/healthz"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}

func checkHealth(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: %s answered %s: %s", url, resp.Status, body)
	}
	return nil
}
