package kernel

import (
	"context"
	"errors"
	"strings"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// RequestGitHub is every GitHub operation the new-cohort flow uses.
type RequestGitHub interface {
	Commenter
	Labeler
	Permissions
	Creator
}

// issueConfig reads the repository config for an issue a person filed (a
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
		return cfg, true, ReportConfigError(ctx, env, g, repo, number, issueID, ce)
	}
	return cfg, err != nil, err
}

// cohortsOwnIssue reports whether repo#number is a cohort's hub or mentee
// issue, which is never a request, even when a person took its label off
// and its body holds the form's headings.
func cohortsOwnIssue(ctx context.Context, env *Env, repo string, number int) (bool, error) {
	_, _, _, err := env.Store.CohortByIssue(ctx, repo, number)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err == nil {
		zerolog.Ctx(ctx).Debug().Msg("skip: a cohort's own hub or mentee issue is never a request")
	}
	return err == nil, err
}

// reportConfigError shows a broken cohortbot.yml on the issue being handled,
// naming file and key; the comment is edited in place on later events.
func ReportConfigError(ctx context.Context, env *Env, g Commenter, repo string, number int, issueID int64, ce *ConfigError) error {
	d := templates.ConfigErrorData{Source: ce.Source, Path: ce.Path, Message: ce.Err.Error()}
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
