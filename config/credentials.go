package config

import (
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
// when one is named. The error is one line naming everything missing or
// malformed, so `serve` fails at start, never at the first event.
func (s *Server) LoadCredentials() error {
	a := &s.GitHub.App
	var problems []string
	if a.IntegrationID == 0 {
		problems = append(problems, "GITHUB_APP_INTEGRATION_ID (github.app.integration_id) is not set")
	}
	if strings.TrimSpace(a.WebhookSecret) == "" {
		problems = append(problems, "GITHUB_APP_WEBHOOK_SECRET (github.app.webhook_secret) is not set")
	}
	switch {
	case a.PrivateKey != "":
		if err := checkKey([]byte(a.PrivateKey)); err != nil {
			problems = append(problems, "GITHUB_APP_PRIVATE_KEY "+err.Error())
		}
	case a.PrivateKeyPath != "":
		b, err := os.ReadFile(a.PrivateKeyPath)
		if err != nil {
			problems = append(problems, fmt.Sprintf("GITHUB_APP_PRIVATE_KEY_PATH: cannot read %s: %v", a.PrivateKeyPath, errors.Unwrap(err)))
		} else if err := checkKey(b); err != nil {
			problems = append(problems, "GITHUB_APP_PRIVATE_KEY_PATH ("+a.PrivateKeyPath+") "+err.Error())
		} else {
			a.PrivateKey = string(b)
		}
	default:
		problems = append(problems, "GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH is not set")
	}
	if len(problems) > 0 {
		return fmt.Errorf("missing or malformed GitHub App credentials: %s", strings.Join(problems, "; "))
	}
	return nil
}

// checkKey accepts a PEM-encoded RSA private key (PKCS#1 or PKCS#8), as
// GitHub issues them.
func checkKey(b []byte) error {
	block, _ := pem.Decode(b)
	if block == nil {
		return errors.New("is not PEM text (expected -----BEGIN RSA PRIVATE KEY-----)")
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		return nil
	}
	return errors.New("is PEM but not an RSA private key")
}
