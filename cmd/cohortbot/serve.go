package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot"
	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/server"
	"github.com/cohortbot/cohortbot/internal/setup"
)

func serveCmd(load func() (config.Server, error)) *cobra.Command {
	var publicURL, org, address string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the webhook server, the workers and the scheduler",
		Long: "serve runs the webhook server, the workers and the scheduler. Started with no GitHub App\n" +
			"credentials at all, it serves a set-up page instead, at the one-time URL it prints (with a token),\n" +
			"which registers the App from app.yml\n" +
			"and writes its credentials to a file; no webhook is processed until it restarts with them.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := load()
			if cfg.HasNoCredentials() {
				// A first run: the set-up page, once the rest of the
				// configuration is right (no "not set" for credentials
				// the page is about to give).
				if err != nil {
					return fmt.Errorf("cannot start: %w", err)
				}
				cfg = withFlags(cfg, address, publicURL)
				log := newLogger(cfg.LogLevel)
				return serveSetup(log.WithContext(cmd.Context()), cmd.OutOrStdout(), cfg, org)
			}
			cfg, err = loadApp(load, true)
			if err != nil {
				return fmt.Errorf("cannot start: %w", err)
			}
			cfg = withFlags(cfg, address, publicURL)
			if cfg.MetricsAddress != "" && cfg.MetricsAddress == cfg.Address {
				return fmt.Errorf("cannot start: --address %s is also metrics_address (COHORTBOT_METRICS_ADDRESS); they must differ", cfg.Address)
			}
			log := newLogger(cfg.LogLevel)
			ctx := log.WithContext(cmd.Context())
			server.TuneGC()
			srv, err := server.New(ctx, cfg, server.Options{Logger: log})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", cfg.Address)
			if err != nil {
				srv.Close(ctx)
				return fmt.Errorf("listen on %s (%s): %w", cfg.Address, addressSource(address), err)
			}
			return srv.Serve(ctx, ln)
		},
	}
	cmd.Flags().StringVar(&publicURL, "public-url", "", "URL where GitHub reaches this service (overrides COHORTBOT_PUBLIC_URL); the set-up page registers <URL>/api/github/hook as the webhook")
	cmd.Flags().StringVar(&address, "address", "", "listen address, host:port (overrides COHORTBOT_ADDRESS and the config file's address)")
	cmd.Flags().StringVar(&org, "org", "", "set-up page only: register the App for this organization instead of your own account")
	return cmd
}

// withFlags applies serve's flags, which override the environment and the
// config file.
func withFlags(cfg config.Server, address, publicURL string) config.Server {
	if address != "" {
		cfg.Address = address
	}
	if publicURL != "" {
		cfg.PublicURL = publicURL
	}
	return cfg
}

// addressSource names where the listen address came from, for errors.
func addressSource(flag string) string {
	if flag != "" {
		return "--address"
	}
	return "COHORTBOT_ADDRESS"
}

// serveSetup answers the set-up page until ctx ends: the first run, before
// any credentials exist. It opens no database and processes no webhook.
func serveSetup(ctx context.Context, out io.Writer, cfg config.Server, org string) error {
	log := zerolog.Ctx(ctx)
	// Only whoever reads this log may register: the token is the proof.
	token, err := setup.NewToken()
	if err != nil {
		return fmt.Errorf("set-up token: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Address)
	if err != nil {
		return fmt.Errorf("listen on %s (--address or COHORTBOT_ADDRESS): %w", cfg.Address, err)
	}
	credPath := setup.DefaultCredentialsPath(cfg.DatabaseURL)
	pageURL := strings.TrimSuffix(healthURL(ln.Addr().String()), "healthz") + "?token=" + token
	log.Warn().Str("address", ln.Addr().String()).Str("credentials_path", credPath).Str("setup_url", pageURL).
		Msg("no GitHub App credentials: serving the set-up page (open setup_url; it works once); webhooks are refused until cohortbot restarts with credentials")
	fmt.Fprintf(out, "cohortbot has no GitHub App credentials. To register the App, open %s\n", pageURL)
	if cfg.PublicURL != "" {
		fmt.Fprintf(out, "(or %s/?token=%s from elsewhere)\n", strings.TrimSuffix(cfg.PublicURL, "/"), token)
	}
	return setup.Serve(ctx, ln, setup.Options{
		Token:           token,
		ManifestYAML:    cohortbot.AppManifest,
		PublicURL:       cfg.PublicURL,
		WebURL:          cfg.GitHub.WebURL,
		APIURL:          cfg.GitHub.V3APIURL,
		CredentialsPath: credPath,
		Org:             org,
		OnRegistered: func(c setup.Credentials, path string) {
			log.Info().Int64("app_id", c.AppID).Str("app", c.Slug).Str("credentials_path", path).
				Msg("GitHub App registered; stop cohortbot and start it with --config " + path)
			fmt.Fprintf(out, "Registered the GitHub App %s (ID %d). Stop cohortbot and start it with:\n  cohortbot serve --config %s\n", c.Slug, c.AppID, path)
		},
	})
}
