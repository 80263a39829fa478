package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
)

func receiveCmd(load func() (config.Server, error)) *cobra.Command {
	var event, payloadPath string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "receive -e EVENT -p payload.json [--dry-run]",
		Short: "Handle one webhook payload now, for local debugging (as Probot's receive)",
		Long: "receive handles one webhook payload at once, as if GitHub had delivered it, and says what it did:\n" +
			"the GitHub writes sent and any that failed. It needs the App's id and private key, not the webhook\n" +
			"secret (nothing is received over HTTP). With --dry-run it sends no write to GitHub: it prints each\n" +
			"one (method, path, JSON body) and answers it with a made-up success so the flow goes on; reads are\n" +
			"sent, and the database is left as it was (the run uses a throwaway copy; SQLite only).\n" +
			"Handled events: " + strings.Join(server.HandledEvents(), ", ") + ".",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(server.HandledEvents(), event) {
				return &server.UnknownEventError{Event: event}
			}
			payload, err := os.ReadFile(payloadPath)
			if err != nil {
				return fmt.Errorf("read the payload (--payload): %w", err)
			}
			cfg, err := loadApp(load, false)
			if err != nil {
				return fmt.Errorf("cannot handle the payload: %w", err)
			}
			return receive(cmd, cfg, event, payload, dryRun)
		},
	}
	cmd.Flags().StringVarP(&event, "event", "e", "", "event name, as in X-GitHub-Event: one of "+strings.Join(server.HandledEvents(), ", "))
	cmd.Flags().StringVarP(&payloadPath, "payload", "p", "", "path to the JSON payload")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the GitHub writes instead of sending them; leave the database as it was (SQLite)")
	_ = cmd.MarkFlagRequired("event")
	_ = cmd.MarkFlagRequired("payload")
	return cmd
}

// receive handles the payload and prints what was and was not done.
func receive(cmd *cobra.Command, cfg config.Server, event string, payload []byte, dryRun bool) error {
	out := cmd.OutOrStdout()
	srv, gl, ctx, done, err := oneShot(cmd, cfg, dryRun, server.Options{NoWorkers: true})
	if err != nil {
		return err
	}
	defer done()
	name := event
	if action := gjson.GetBytes(payload, "action").String(); action != "" {
		name += "." + action
	}
	ignored, err := srv.Receive(ctx, event, payload)
	var unknown *server.UnknownEventError
	switch {
	case errors.As(err, &unknown):
		return err
	case err != nil:
		fmt.Fprintf(out, "%s: failed\n%s\n", name, gl.summary(false))
		return fmt.Errorf("%s failed: %w (the writes above that were sent are not undone)", name, err)
	case ignored != "":
		fmt.Fprintf(out, "%s: ignored (%s)\n%s\n", name, ignored, gl.summary(true))
		return nil
	}
	fmt.Fprintf(out, "%s: handled\n%s\n", name, gl.summary(true))
	return nil
}
