// Package config holds cohortbot's two configurations: the server's (a YAML
// file overlaid by environment variables) and each mentoring repository's
// .github/cohortbot.yml. Both are loaded in one visible order: strict decode,
// environment overlay, defaults, Validate.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Server is the service's own configuration (config/cohortbot.example.yml).
type Server struct {
	// Address is the HTTP listen address (COHORTBOT_ADDRESS).
	Address string `yaml:"address"`
	// DatabaseURL is sqlite://… or postgres://… (COHORTBOT_DATABASE_URL).
	DatabaseURL string `yaml:"database_url"`
	// TickInterval is how often the scheduler runs (COHORTBOT_TICK_INTERVAL).
	TickInterval Duration `yaml:"tick_interval"`
	// Workers is how many jobs run at once (COHORTBOT_WORKERS).
	Workers int `yaml:"workers"`
	// JobTimeout bounds one attempt of a job (COHORTBOT_JOB_TIMEOUT). It is
	// also the lease of an issue lock, and a job left running by a process
	// that died is retried once it is this old plus a quarter: the smaller
	// it is, the sooner work resumes after a crash.
	JobTimeout Duration `yaml:"job_timeout"`
	// LogLevel is debug, info, warn or error (COHORTBOT_LOG_LEVEL).
	LogLevel string `yaml:"log_level"`
	// PublicURL is where GitHub reaches this service (COHORTBOT_PUBLIC_URL).
	PublicURL string `yaml:"public_url"`
	GitHub    GitHub `yaml:"github"`
}

// GitHub holds the App's credentials and GitHub's URLs.
type GitHub struct {
	// WebURL (GITHUB_WEB_URL), V3APIURL (GITHUB_V3_API_URL), V4APIURL
	// (GITHUB_V4_API_URL): github.com's by default, a GitHub Enterprise
	// Server's or a local simulator's otherwise.
	WebURL   string `yaml:"web_url"`
	V3APIURL string `yaml:"v3_api_url"`
	V4APIURL string `yaml:"v4_api_url"`
	App      App    `yaml:"app"`
}

// App holds the GitHub App's credentials.
type App struct {
	IntegrationID  int64  `yaml:"integration_id"`   // GITHUB_APP_INTEGRATION_ID
	WebhookSecret  string `yaml:"webhook_secret"`   // GITHUB_APP_WEBHOOK_SECRET
	PrivateKey     string `yaml:"private_key"`      // GITHUB_APP_PRIVATE_KEY (PEM text)
	PrivateKeyPath string `yaml:"private_key_path"` // GITHUB_APP_PRIVATE_KEY_PATH
}

// Duration is a time.Duration written as a Go duration string ("10m").
type Duration time.Duration

// UnmarshalYAML reads "10m", "90s", ….
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration like 10m or 90s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// Env looks up an environment variable; tests pass a map's lookup.
type Env func(key string) (string, bool)

// LoadServer reads the server config: the file at path (may be ""), then the
// environment, then defaults. It does not check credentials; see
// CheckCredentials.
func LoadServer(path string, env Env) (Server, error) {
	var s Server
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Server{}, fmt.Errorf("read config file: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
			return Server{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	if err := s.overlay(env); err != nil {
		return Server{}, err
	}
	s.defaults()
	return s, s.Validate()
}

func (s *Server) overlay(env Env) error {
	str := func(key string, dst *string) {
		if v, ok := env(key); ok {
			*dst = v
		}
	}
	str("COHORTBOT_ADDRESS", &s.Address)
	str("COHORTBOT_DATABASE_URL", &s.DatabaseURL)
	str("COHORTBOT_LOG_LEVEL", &s.LogLevel)
	str("COHORTBOT_PUBLIC_URL", &s.PublicURL)
	str("GITHUB_WEB_URL", &s.GitHub.WebURL)
	str("GITHUB_V3_API_URL", &s.GitHub.V3APIURL)
	str("GITHUB_V4_API_URL", &s.GitHub.V4APIURL)
	str("GITHUB_APP_WEBHOOK_SECRET", &s.GitHub.App.WebhookSecret)
	str("GITHUB_APP_PRIVATE_KEY", &s.GitHub.App.PrivateKey)
	str("GITHUB_APP_PRIVATE_KEY_PATH", &s.GitHub.App.PrivateKeyPath)
	if v, ok := env("GITHUB_APP_INTEGRATION_ID"); ok {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("GITHUB_APP_INTEGRATION_ID must be the App's numeric id (got %q)", v)
		}
		s.GitHub.App.IntegrationID = id
	}
	if v, ok := env("COHORTBOT_TICK_INTERVAL"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("COHORTBOT_TICK_INTERVAL must be a Go duration like 10m (got %q)", v)
		}
		s.TickInterval = Duration(d)
	}
	if v, ok := env("COHORTBOT_JOB_TIMEOUT"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("COHORTBOT_JOB_TIMEOUT must be a Go duration like 2m (got %q)", v)
		}
		s.JobTimeout = Duration(d)
	}
	if v, ok := env("COHORTBOT_WORKERS"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("COHORTBOT_WORKERS must be a whole number (got %q)", v)
		}
		s.Workers = n
	}
	return nil
}

func (s *Server) defaults() {
	def := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	def(&s.Address, "127.0.0.1:8080")
	def(&s.DatabaseURL, "sqlite://cohortbot.db")
	def(&s.LogLevel, "info")
	def(&s.GitHub.WebURL, "https://github.com")
	def(&s.GitHub.V3APIURL, "https://api.github.com/")
	if s.GitHub.V4APIURL == "" {
		s.GitHub.V4APIURL = strings.TrimSuffix(s.GitHub.V3APIURL, "/") + "/graphql"
		if s.GitHub.V3APIURL == "https://api.github.com/" {
			s.GitHub.V4APIURL = "https://api.github.com/graphql"
		}
	}
	if s.TickInterval == 0 {
		s.TickInterval = Duration(10 * time.Minute)
	}
	if s.Workers == 0 {
		s.Workers = 4
	}
	if s.JobTimeout == 0 {
		s.JobTimeout = Duration(2 * time.Minute)
	}
}

// Validate checks everything but the credentials.
func (s Server) Validate() error {
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log_level (COHORTBOT_LOG_LEVEL) must be debug, info, warn or error (got %q)", s.LogLevel)
	}
	if time.Duration(s.TickInterval) < time.Second {
		return fmt.Errorf("tick_interval (COHORTBOT_TICK_INTERVAL) must be at least 1s (got %s)", time.Duration(s.TickInterval))
	}
	if time.Duration(s.JobTimeout) < time.Second {
		return fmt.Errorf("job_timeout (COHORTBOT_JOB_TIMEOUT) must be at least 1s (got %s)", time.Duration(s.JobTimeout))
	}
	if s.Workers < 1 || s.Workers > 64 {
		return fmt.Errorf("workers (COHORTBOT_WORKERS) must be between 1 and 64 (got %d)", s.Workers)
	}
	return nil
}
