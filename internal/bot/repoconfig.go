package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/appconfig"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/gh"
)

// ConfigPath is where a mentoring repository keeps cohortbot's settings; the
// organization's .github repository holds the fallback (appconfig's owner
// default).
const ConfigPath = ".github/cohortbot.yml"

// NewConfigLoader builds the appconfig loader for ConfigPath with the org
// .github fallback.
func NewConfigLoader() *appconfig.Loader {
	return appconfig.NewLoader([]string{ConfigPath}, appconfig.WithOwnerDefault(".github", []string{"cohortbot.yml", ConfigPath}))
}

// AppConfig loads repository config with go-githubapp's appconfig.
type AppConfig struct {
	Loader *appconfig.Loader
	Client *github.Client
}

// RepoConfig returns the repository's config, the defaults when there is no
// file anywhere, or a *ConfigError naming the file when it is broken.
func (a AppConfig) RepoConfig(ctx context.Context, repo string) (config.Repo, error) {
	owner, name := gh.Split(repo)
	c, err := a.Loader.LoadConfig(ctx, a.Client, owner, name, "")
	if err != nil {
		if isTransport(err) || c.Path == "" {
			return config.Repo{}, fmt.Errorf("load %s of %s: %w", ConfigPath, repo, err)
		}
		return config.Repo{}, &ConfigError{Source: c.Source, Path: c.Path, Err: err}
	}
	if c.IsUndefined() {
		return config.DefaultRepo(), nil
	}
	r, err := config.ParseRepo(c.Content)
	if err != nil {
		return config.Repo{}, &ConfigError{Source: c.Source, Path: c.Path, Err: err}
	}
	return r, nil
}

// isTransport tells a failure to reach GitHub (retried) from a broken file
// (reported on the issue).
func isTransport(err error) bool {
	var er *github.ErrorResponse
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var ue *url.Error
	return errors.As(err, &er) || errors.As(err, &rl) || errors.As(err, &ab) || errors.As(err, &ue)
}
