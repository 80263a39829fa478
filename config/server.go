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
	// MetricsAddress, when set, is a second listen address serving only
	// /metrics, which the main address then no longer serves
	// (COHORTBOT_METRICS_ADDRESS): for deployments whose webhook address is
	// public and whose metrics should not be.
	MetricsAddress string `yaml:"metrics_address"`
	Limits         Limits `yaml:"limits"`
	GitHub         GitHub `yaml:"github"`
}

// Limits bound what anonymous traffic can cost the process (SPEC §8
// "Exposed to the internet"). The defaults keep a serving process under
// 128 MiB whatever arrives; an operator changes them only with a reason.
type Limits struct {
	// MaxBodyBytes is the largest webhook body accepted; larger ones are
	// answered 413 without being held whole (COHORTBOT_MAX_BODY_BYTES).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// BodyMemoryBytes bounds the memory of all webhook bodies being read
	// at once; a request that does not fit is answered 503 with
	// Retry-After (COHORTBOT_BODY_MEMORY_BYTES).
	BodyMemoryBytes int64 `yaml:"body_memory_bytes"`
	// MaxConnections caps the open HTTP connections of the main address
	// (COHORTBOT_MAX_CONNECTIONS); further ones wait in the kernel's
	// backlog until one closes.
	MaxConnections int `yaml:"max_connections"`
	// HTTPCacheBytes bounds the cache of GitHub responses shared by every
	// installation's client (COHORTBOT_HTTP_CACHE_BYTES).
	HTTPCacheBytes int64 `yaml:"http_cache_bytes"`
}

// Default limits (Limits).
const (
	DefaultMaxBodyBytes    = 2 << 20
	DefaultBodyMemoryBytes = 48 << 20
	DefaultMaxConnections  = 256
	DefaultHTTPCacheBytes  = 8 << 20
)

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
	// ClientID and ClientSecret sign visitors of the web pages in with
	// GitHub (GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET); without them
	// private repositories' cohorts are not shown.
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
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
	str("COHORTBOT_METRICS_ADDRESS", &s.MetricsAddress)
	str("GITHUB_WEB_URL", &s.GitHub.WebURL)
	str("GITHUB_V3_API_URL", &s.GitHub.V3APIURL)
	str("GITHUB_V4_API_URL", &s.GitHub.V4APIURL)
	str("GITHUB_APP_WEBHOOK_SECRET", &s.GitHub.App.WebhookSecret)
	str("GITHUB_APP_PRIVATE_KEY", &s.GitHub.App.PrivateKey)
	str("GITHUB_APP_PRIVATE_KEY_PATH", &s.GitHub.App.PrivateKeyPath)
	str("GITHUB_APP_CLIENT_ID", &s.GitHub.App.ClientID)
	str("GITHUB_APP_CLIENT_SECRET", &s.GitHub.App.ClientSecret)
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
	return s.Limits.overlay(env)
}

func (l *Limits) overlay(env Env) error {
	for _, f := range []struct {
		key string
		dst *int64
	}{
		{"COHORTBOT_MAX_BODY_BYTES", &l.MaxBodyBytes},
		{"COHORTBOT_BODY_MEMORY_BYTES", &l.BodyMemoryBytes},
		{"COHORTBOT_HTTP_CACHE_BYTES", &l.HTTPCacheBytes},
	} {
		if v, ok := env(f.key); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return fmt.Errorf("%s must be a whole number of bytes (got %q)", f.key, v)
			}
			*f.dst = n
		}
	}
	if v, ok := env("COHORTBOT_MAX_CONNECTIONS"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("COHORTBOT_MAX_CONNECTIONS must be a whole number (got %q)", v)
		}
		l.MaxConnections = n
	}
	return nil
}

// Defaults fills the limits left zero (servers built without LoadServer
// get them too).
func (l *Limits) Defaults() {
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if l.BodyMemoryBytes == 0 {
		l.BodyMemoryBytes = DefaultBodyMemoryBytes
	}
	if l.MaxConnections == 0 {
		l.MaxConnections = DefaultMaxConnections
	}
	if l.HTTPCacheBytes == 0 {
		l.HTTPCacheBytes = DefaultHTTPCacheBytes
	}
}

// Validate checks the limits are usable: a body budget that cannot hold
// one largest body would refuse every large delivery.
func (l Limits) Validate() error {
	switch {
	case l.MaxBodyBytes < 64<<10 || l.MaxBodyBytes > 25<<20:
		return fmt.Errorf("limits.max_body_bytes (COHORTBOT_MAX_BODY_BYTES) must be between 65536 and 26214400, GitHub's own cap (got %d)", l.MaxBodyBytes)
	case l.BodyMemoryBytes < l.MaxBodyBytes*bodyCopies:
		return fmt.Errorf("limits.body_memory_bytes (COHORTBOT_BODY_MEMORY_BYTES) must be at least %d× max_body_bytes, %d (got %d)", bodyCopies, l.MaxBodyBytes*bodyCopies, l.BodyMemoryBytes)
	case l.MaxConnections < 1:
		return fmt.Errorf("limits.max_connections (COHORTBOT_MAX_CONNECTIONS) must be at least 1 (got %d)", l.MaxConnections)
	case l.HTTPCacheBytes < 0:
		return fmt.Errorf("limits.http_cache_bytes (COHORTBOT_HTTP_CACHE_BYTES) must not be negative (got %d)", l.HTTPCacheBytes)
	}
	return nil
}

// bodyCopies is how many times a body's size the intake reserves for it:
// the body read once, and go-github's copy as it grows (io.ReadAll).
const bodyCopies = 3

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
	s.Limits.Defaults()
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
	if s.MetricsAddress != "" && s.MetricsAddress == s.Address {
		return fmt.Errorf("metrics_address (COHORTBOT_METRICS_ADDRESS) must differ from address (both %q)", s.Address)
	}
	return s.Limits.Validate()
}

// BodyReservation is how many bytes of BodyMemoryBytes a body of n bytes
// (-1: unknown, chunked) takes while it is read and stored.
func (l Limits) BodyReservation(n int64) int64 {
	if n < 0 || n > l.MaxBodyBytes {
		n = l.MaxBodyBytes
	}
	return max(n, 4<<10) * bodyCopies
}
