package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// HasNoCredentials reports a server started with no App credentials at all
// (a first run, before the App is registered).
func (s Server) HasNoCredentials() bool {
	a := s.GitHub.App
	return a.IntegrationID == 0 && a.WebhookSecret == "" && a.PrivateKey == "" && a.PrivateKeyPath == ""
}

// LoadCredentials checks every App credential and reads the private key file
// when one is named. The error is Problems naming everything missing or
// malformed, so `serve` fails at start, never at the first event.
func (s *Server) LoadCredentials() error { return s.loadCredentials(true) }

// LoadAppCredentials is LoadCredentials for commands that accept no webhooks
// (receive, tick): they call GitHub as the App but need no webhook secret.
func (s *Server) LoadAppCredentials() error { return s.loadCredentials(false) }

func (s *Server) loadCredentials(webhooks bool) error {
	a := &s.GitHub.App
	var problems Problems
	if a.IntegrationID == 0 { // a negative one was reported by LoadServer
		problems = append(problems, "GITHUB_APP_INTEGRATION_ID (github.app.integration_id) is not set: set it to the \"App ID\" on the App's settings page")
	}
	if webhooks && strings.TrimSpace(a.WebhookSecret) == "" {
		problems = append(problems, "GITHUB_APP_WEBHOOK_SECRET (github.app.webhook_secret) is not set: set it to the App's webhook secret (cohortbot never accepts unsigned webhooks)")
	}
	switch {
	case a.PrivateKey != "":
		key, err := checkKey(a.PrivateKey)
		if err != nil {
			problems = append(problems, "GITHUB_APP_PRIVATE_KEY "+err.Error())
		} else {
			a.PrivateKey = key
		}
	case a.PrivateKeyPath != "":
		b, err := os.ReadFile(a.PrivateKeyPath)
		if err != nil {
			problems = append(problems, fmt.Sprintf("GITHUB_APP_PRIVATE_KEY_PATH: cannot read %s: %v", a.PrivateKeyPath, errors.Unwrap(err)))
		} else if key, err := checkKey(string(b)); err != nil {
			problems = append(problems, "GITHUB_APP_PRIVATE_KEY_PATH ("+a.PrivateKeyPath+") "+err.Error())
		} else {
			a.PrivateKey = key
		}
	default:
		problems = append(problems, "GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH is not set: give the App's private key (the .pem file generated on its settings page) as text or as a file path")
	}
	if len(problems) > 0 {
		return problems
	}
	return nil
}

// checkKey accepts a PEM-encoded RSA private key (PKCS#1 or PKCS#8), as
// GitHub issues them, and returns it with real line breaks: CI secret
// stores often hold a key on one line with literal \n, which is accepted as
// Probot does. Anything else is refused in words saying what is wrong.
func checkKey(text string) (string, error) {
	if !strings.Contains(text, "\n") && strings.Contains(text, `\n`) {
		text = strings.ReplaceAll(text, `\n`, "\n")
	}
	const fix = "; copy the whole .pem file GitHub generated for the App, from -----BEGIN to -----END lines included"
	block, rest := pem.Decode([]byte(text))
	if block == nil {
		trimmed := strings.TrimSpace(text)
		switch {
		case !strings.Contains(trimmed, "\n") && strings.HasSuffix(trimmed, ".pem"):
			return "", errors.New("looks like a file name, not a key: put the path in GITHUB_APP_PRIVATE_KEY_PATH instead")
		case strings.Contains(text, "-----BEGIN"):
			return "", errors.New("is cut short or damaged: it has a -----BEGIN line but no matching -----END line, or the lines between are not base64" + fix)
		}
		return "", errors.New("is not PEM text: a private key starts with a line -----BEGIN RSA PRIVATE KEY-----" + fix)
	}
	if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
		return "", fmt.Errorf("holds a %s, not a private key%s", block.Type, fix)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return "", errors.New("has text after its -----END line" + fix)
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return text, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return "", errors.New("is PEM text but not an RSA private key: its content is damaged" + fix)
	}
	if _, ok := k.(*rsa.PrivateKey); !ok {
		return "", fmt.Errorf("is a %T key, not an RSA private key: GitHub Apps sign with RSA keys%s", k, fix)
	}
	return text, nil
}
