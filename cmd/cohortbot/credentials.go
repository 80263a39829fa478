package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/cohortbot/cohortbot/config"
)

// credentialsCmd hands the App's credentials (as the set-up page wrote them,
// or as the environment gives them) to the places a deployment keeps them,
// so nobody cuts a PEM out of credentials.yml by hand.
func credentialsCmd(load func() (config.Server, error)) *cobra.Command {
	cmd := &cobra.Command{Use: "credentials", Short: "Work with the GitHub App's credentials"}
	var format string
	export := &cobra.Command{
		Use:   "export --format env|secret|pem",
		Short: "Print the App's credentials as env lines, a Kubernetes Secret or the private key alone",
		Long: "Print the App's credentials, read from --config (e.g. the credentials.yml the set-up page\n" +
			"wrote) and the environment, in one of three forms:\n" +
			"  env     shell lines (. ./cohortbot.env) setting GITHUB_APP_INTEGRATION_ID, GITHUB_APP_WEBHOOK_SECRET, GITHUB_APP_PRIVATE_KEY\n" +
			"  secret  the Kubernetes Secret cohortbot-github-app that deploy/kubernetes reads (kubectl apply -f -)\n" +
			"  pem     the private key alone (for GITHUB_APP_PRIVATE_KEY_PATH)\n" +
			"The output is secret: redirect it to a file only you can read, or pipe it to kubectl.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := load()
			if err != nil {
				return err
			}
			if err := cfg.LoadCredentials(); err != nil {
				return err
			}
			return exportCredentials(cmd.OutOrStdout(), format, cfg)
		},
	}
	export.Flags().StringVar(&format, "format", "", "env, secret or pem (required)")
	cmd.AddCommand(export)
	return cmd
}

// secretName and its keys are the ones deploy/kubernetes/base/deployment.yaml reads.
const secretName = "cohortbot-github-app"

func exportCredentials(w io.Writer, format string, cfg config.Server) error {
	a := cfg.GitHub.App
	id := strconv.FormatInt(a.IntegrationID, 10)
	switch format {
	case "pem":
		_, err := io.WriteString(w, strings.TrimRight(a.PrivateKey, "\n")+"\n")
		return err
	case "env":
		lines := []string{
			"GITHUB_APP_INTEGRATION_ID=" + id,
			"GITHUB_APP_WEBHOOK_SECRET=" + shellQuote(a.WebhookSecret),
			"GITHUB_APP_PRIVATE_KEY=" + shellQuote(strings.TrimRight(a.PrivateKey, "\n")),
		}
		if cfg.GitHub.V3APIURL != "" {
			lines = append(lines, "GITHUB_V3_API_URL="+shellQuote(cfg.GitHub.V3APIURL))
		}
		if cfg.PublicURL != "" {
			lines = append(lines, "COHORTBOT_PUBLIC_URL="+shellQuote(cfg.PublicURL))
		}
		_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
		return err
	case "secret":
		type meta struct {
			Name string `yaml:"name"`
		}
		secret := struct {
			APIVersion string            `yaml:"apiVersion"`
			Kind       string            `yaml:"kind"`
			Metadata   meta              `yaml:"metadata"`
			Type       string            `yaml:"type"`
			StringData map[string]string `yaml:"stringData"`
		}{"v1", "Secret", meta{secretName}, "Opaque", map[string]string{
			"integration-id": id,
			"webhook-secret": a.WebhookSecret,
			"private-key":    strings.TrimRight(a.PrivateKey, "\n") + "\n",
		}}
		b, err := yaml.Marshal(secret)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	case "":
		return fmt.Errorf("choose a format: --format env, secret or pem")
	}
	return fmt.Errorf("unknown format %q: use env, secret or pem", format)
}

// shellQuote quotes s for POSIX sh: single quotes keep every byte, newlines
// included; a single quote inside ends the quoting, is escaped, and reopens it.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
