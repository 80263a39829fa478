package kernel

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/templates"
)

// ConfigError is a repository config file that exists but is invalid.
type ConfigError struct {
	Source, Path string
	Err          error
}

func (e *ConfigError) Error() string { return fmt.Sprintf("%s in %s: %v", e.Path, e.Source, e.Err) }

// Unwrap returns the parse error.
func (e *ConfigError) Unwrap() error { return e.Err }

// IssueConfig reads the repository config for an issue a person filed (a
// request, an interest, an offer); done when there is nothing more to do:
// the issue is one of a cohort's own, or the config is broken (reported on
// the issue, once, edited in place).
func IssueConfig(ctx context.Context, env *Env, g Commenter, cs ConfigSource, repo string, number int, issueID int64) (cfg config.Repo, done bool, err error) {
	if own, err := cohortsOwnIssue(ctx, env, repo, number); err != nil || own {
		return cfg, true, err
	}
	cfg, err = cs.RepoConfig(ctx, repo)
	var ce *ConfigError
	if errors.As(err, &ce) {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("broken repository config")
		return cfg, true, ReportConfigError(ctx, env, g, repo, number, issueID, ce, RetryByEdit)
	}
	return cfg, err != nil, err
}

// How what a broken config stopped runs again, for ReportConfigError.
const (
	RetryByEdit     = "edit this issue to try again."                             // a request
	RetryByComment  = "post the command again in a new comment."                  // a command
	RetryBySchedule = "cohortbot picks the cohort's schedule up again by itself." // the scheduler
)

// ReportConfigError shows a broken cohortbot.yml on the issue being handled,
// naming file and key and how to try again (retry); the comment is edited in
// place on later events.
func ReportConfigError(ctx context.Context, env *Env, g Commenter, repo string, number int, issueID int64, ce *ConfigError, retry string) error {
	d := templates.ConfigErrorData{Source: ce.Source, Path: ce.Path, Message: ce.Err.Error(), Retry: retry}
	var re *config.RepoError
	var res config.RepoErrors
	switch {
	case errors.As(ce.Err, &res) && len(res) > 0:
		keys, msgs := make([]string, len(res)), make([]string, len(res))
		for i, e := range res {
			keys[i], msgs[i] = e.Key, e.Key+": "+e.Message
		}
		d.Key, d.Message = strings.Join(keys, "`, `"), strings.Join(msgs, "; ")
	case errors.As(ce.Err, &re):
		d.Key, d.Message = re.Key, re.Message
	}
	body, err := templates.RenderConfigError(d)
	if err != nil {
		return err
	}
	_, err = env.UpsertComment(ctx, g, configErrorKey(issueID), repo, number,
		"<!-- cohortbot:config-error -->", body)
	return err
}

func FirstLines(s string, n int) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}
