package kernel

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/appconfig"
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
	// Cache (may be nil) is shared by the process.
	Cache *ConfigCache
}

// RepoConfig returns the repository's config, the defaults when there is no
// file anywhere, or a *ConfigError naming the file when it is broken.
func (a AppConfig) RepoConfig(ctx context.Context, repo string) (config.Repo, error) {
	if cfg, err, ok := a.Cache.get(repo); ok {
		return cfg, err
	}
	cfg, err := a.load(ctx, repo)
	var ce *ConfigError
	if err == nil || errors.As(err, &ce) {
		a.Cache.put(repo, cfg, err)
	}
	return cfg, err
}

func (a AppConfig) load(ctx context.Context, repo string) (config.Repo, error) {
	owner, name := gh.Split(repo)
	c, err := a.Loader.LoadConfig(ctx, a.Client, owner, name, "")
	if err != nil {
		if isTransport(err) || c.Path == "" {
			return config.Repo{}, fmt.Errorf("load %s of %s: %w", ConfigPath, repo, err)
		}
		return config.Repo{}, &ConfigError{Source: configSource(c.Source), Path: c.Path, Err: err}
	}
	if c.IsUndefined() {
		return config.DefaultRepo(), nil
	}
	r, err := config.ParseRepo(c.Content)
	if err != nil {
		return config.Repo{}, &ConfigError{Source: configSource(c.Source), Path: c.Path, Err: err}
	}
	return r, nil
}

// configSource is where a config came from as the organizer should read it:
// appconfig writes "owner/name@ref" even when the ref is empty (the default
// branch, as we load it), and "cohort-org/mentoring@" reads like a
// truncated message. The ref is shown when known, otherwise no "@".
func configSource(s string) string {
	return strings.TrimSuffix(s, "@")
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

// ConfigCache keeps each repository's parsed config for a short while, so a
// burst of events reads .github/cohortbot.yml once, not once per event (a
// missing file costs two GitHub requests: the repo's and the org's). A
// change to the file applies within the TTL.
type ConfigCache struct {
	TTL time.Duration
	// Now is the cache's clock (nil: time.Now). Expiry is infrastructure
	// time, not the cohorts' domain time; tests set it to age entries.
	Now func() time.Time
	mu  sync.Mutex
	m   map[string]cachedConfig
}

func (c *ConfigCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

type cachedConfig struct {
	at  time.Time
	cfg config.Repo
	err error
}

// get returns a fresh cached result for repo.
func (c *ConfigCache) get(repo string) (config.Repo, error, bool) {
	if c == nil {
		return config.Repo{}, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[repo]
	if !ok || c.now().Sub(e.at) > c.TTL {
		return config.Repo{}, nil, false
	}
	return e.cfg, e.err, true
}

// put remembers a result: a config or a broken file, never a failure to
// reach GitHub.
func (c *ConfigCache) put(repo string, cfg config.Repo, err error) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedConfig{}
	}
	c.m[repo] = cachedConfig{at: c.now(), cfg: cfg, err: err}
}
