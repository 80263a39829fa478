package main

import (
	"errors"

	"github.com/cohortbot/cohortbot/config"
)

// loadApp loads the server config and checks the App's credentials in one
// pass, so that start-up lists every problem (a bad App id among the
// file's typos and a damaged key) instead of the first. webhooks is false
// for the commands that accept none (receive, tick), which need no webhook
// secret.
func loadApp(load func() (config.Server, error), webhooks bool) (config.Server, error) {
	cfg, err := load()
	var ps config.Problems
	if err != nil && !errors.As(err, &ps) {
		return cfg, err // e.g. the config file cannot be read
	}
	check := cfg.LoadAppCredentials
	if webhooks {
		check = cfg.LoadCredentials
	}
	return cfg, config.JoinProblems(err, check())
}
