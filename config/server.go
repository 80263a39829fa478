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

	"go.yaml.in/yaml/v3"
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
	// GitHubWritesPerMinute paces content-creating requests per
	// installation (COHORTBOT_GITHUB_WRITES_PER_MINUTE; default 80,
	// github.com's secondary limit). Raise it only for a GitHub Enterprise
	// Server whose administrators raised that limit, or a simulated GitHub.
	GitHubWritesPerMinute int `yaml:"github_writes_per_minute"`
}

// Default limits (Limits).
const (
	DefaultMaxBodyBytes    = 2 << 20
	DefaultBodyMemoryBytes = 48 << 20
	DefaultMaxConnections  = 256
	DefaultHTTPCacheBytes  = 8 << 20
	// DefaultGitHubWritesPerMinute is github.com's secondary rate limit on
	// content-creating requests.
	DefaultGitHubWritesPerMinute = 80
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

// badAppID stands for a GITHUB_APP_INTEGRATION_ID that is set but not a
// number: LoadServer reports it, and LoadCredentials does not add "not set".
const badAppID = -1 << 63

// Duration is a time.Duration written as a Go duration string ("10m").
type Duration time.Duration

// UnmarshalYAML reads "10m", "90s", …. A bad value is a yaml.TypeError so
// the decoder goes on and every other problem of the file is found too.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{"line " + lineOf(n) + fmt.Sprintf(": %q is not a duration like 10m or 90s", n.Value)}}
	}
	*d = Duration(v)
	return nil
}

// Env looks up an environment variable; tests pass a map's lookup.
type Env func(key string) (string, bool)

// LoadServer reads the server config: the file at path (may be ""), then the
// environment, then defaults. It does not check credentials; see
// LoadCredentials. A file that cannot be read stops it; otherwise the error
// is Problems, every one found, and the Server is filled as far as it could
// be, so that the credentials' problems can be added to the list.
func LoadServer(path string, env Env) (Server, error) {
	var s Server
	var problems Problems
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Server{}, fmt.Errorf("read config file %s (--config): %w", path, errors.Unwrap(err))
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
			problems = append(problems, fileProblems(path, err)...)
		}
	}
	problems = append(problems, s.overlay(env)...)
	s.defaults()
	if err := s.Validate(); err != nil {
		problems = append(problems, err.(Problems)...)
	}
	return s, problems.Err()
}

func (s *Server) overlay(env Env) Problems {
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
	var problems Problems
	if v, ok := env("GITHUB_APP_INTEGRATION_ID"); ok {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			problems = append(problems, fmt.Sprintf("GITHUB_APP_INTEGRATION_ID must be the App's numeric id, the \"App ID\" on its settings page (got %q)", v))
			s.GitHub.App.IntegrationID = badAppID
		} else {
			s.GitHub.App.IntegrationID = id
		}
	}
	for _, f := range []struct {
		key, example string
		dst          *Duration
	}{{"COHORTBOT_TICK_INTERVAL", "10m", &s.TickInterval}, {"COHORTBOT_JOB_TIMEOUT", "2m", &s.JobTimeout}} {
		if v, ok := env(f.key); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s must be a Go duration like %s (got %q)", f.key, f.example, v))
				continue
			}
			*f.dst = Duration(d)
		}
	}
	if v, ok := env("COHORTBOT_WORKERS"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("COHORTBOT_WORKERS must be a whole number (got %q)", v))
		} else {
			s.Workers = n
		}
	}
	return append(problems, s.Limits.overlay(env)...)
}

func (l *Limits) overlay(env Env) Problems {
	var problems Problems
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
				problems = append(problems, fmt.Sprintf("%s must be a whole number of bytes (got %q)", f.key, v))
				continue
			}
			*f.dst = n
		}
	}
	for _, f := range []struct {
		key string
		dst *int
	}{
		{"COHORTBOT_MAX_CONNECTIONS", &l.MaxConnections},
		{"COHORTBOT_GITHUB_WRITES_PER_MINUTE", &l.GitHubWritesPerMinute},
	} {
		if v, ok := env(f.key); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s must be a whole number (got %q)", f.key, v))
				continue
			}
			*f.dst = n
		}
	}
	return problems
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
	if l.GitHubWritesPerMinute == 0 {
		l.GitHubWritesPerMinute = DefaultGitHubWritesPerMinute
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
	case l.GitHubWritesPerMinute < 1 || l.GitHubWritesPerMinute > 6000:
		return fmt.Errorf("limits.github_writes_per_minute (COHORTBOT_GITHUB_WRITES_PER_MINUTE) must be between 1 and 6000 (got %d); github.com allows 80", l.GitHubWritesPerMinute)
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

// Validate checks everything but the credentials; the error is Problems,
// every one found.
func (s Server) Validate() error {
	var p Problems
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p = append(p, fmt.Sprintf("log_level (COHORTBOT_LOG_LEVEL) must be debug, info, warn or error (got %q)", s.LogLevel))
	}
	if !strings.HasPrefix(s.DatabaseURL, "sqlite://") && !strings.HasPrefix(s.DatabaseURL, "postgres://") && !strings.HasPrefix(s.DatabaseURL, "postgresql://") {
		p = append(p, "database_url (COHORTBOT_DATABASE_URL) must start with sqlite:// (sqlite://cohortbot.db, sqlite:///abs/path.db) or postgres://")
	}
	if time.Duration(s.TickInterval) < time.Second {
		p = append(p, fmt.Sprintf("tick_interval (COHORTBOT_TICK_INTERVAL) must be at least 1s (got %s)", time.Duration(s.TickInterval)))
	}
	if time.Duration(s.JobTimeout) < time.Second {
		p = append(p, fmt.Sprintf("job_timeout (COHORTBOT_JOB_TIMEOUT) must be at least 1s (got %s)", time.Duration(s.JobTimeout)))
	}
	if s.Workers < 1 || s.Workers > 64 {
		p = append(p, fmt.Sprintf("workers (COHORTBOT_WORKERS) must be between 1 and 64 (got %d)", s.Workers))
	}
	if s.MetricsAddress != "" && s.MetricsAddress == s.Address {
		p = append(p, fmt.Sprintf("metrics_address (COHORTBOT_METRICS_ADDRESS) must differ from address (both %q)", s.Address))
	}
	if id := s.GitHub.App.IntegrationID; id < 0 && id != badAppID {
		p = append(p, fmt.Sprintf("github.app.integration_id must be the App's id, a positive number (got %d)", id))
	}
	if err := s.Limits.Validate(); err != nil {
		p = append(p, err.Error())
	}
	return p.Err()
}

// BodyReservation is how many bytes of BodyMemoryBytes a body of n bytes
// (-1: unknown, chunked) takes while it is read and stored.
func (l Limits) BodyReservation(n int64) int64 {
	if n < 0 || n > l.MaxBodyBytes {
		n = l.MaxBodyBytes
	}
	return max(n, 4<<10) * bodyCopies
}
