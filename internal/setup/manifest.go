package setup

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// manifest is the subset of GitHub's App-manifest format that app.yml uses.
// Decoding app.yml strictly into it means a key GitHub would silently ignore
// (a typo in default_permissions' parent, say) fails loudly here instead.
type manifest struct {
	Name           string         `yaml:"name" json:"name"`
	Description    string         `yaml:"description,omitempty" json:"description,omitempty"`
	URL            string         `yaml:"url" json:"url"`
	HookAttributes hookAttributes `yaml:"hook_attributes" json:"hook_attributes"`
	RedirectURL    string         `yaml:"redirect_url,omitempty" json:"redirect_url"`
	// CallbackURLs is where GitHub sends a visitor back after signing in to
	// the web pages (internal/web's /login/callback).
	CallbackURLs       []string          `yaml:"callback_urls,omitempty" json:"callback_urls,omitempty"`
	Public             bool              `yaml:"public" json:"public"`
	DefaultEvents      []string          `yaml:"default_events" json:"default_events"`
	DefaultPermissions map[string]string `yaml:"default_permissions" json:"default_permissions"`
}

type hookAttributes struct {
	URL    string `yaml:"url" json:"url"`
	Active *bool  `yaml:"active,omitempty" json:"active,omitempty"`
}

// parseManifest reads app.yml.
func parseManifest(data []byte) (manifest, error) {
	var m manifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return manifest{}, fmt.Errorf("app.yml: %w", err)
	}
	if m.Name == "" || m.URL == "" {
		return manifest{}, fmt.Errorf("app.yml: name and url are required")
	}
	return m, nil
}

// manifestJSON is the manifest GitHub receives: app.yml with the webhook URL
// pointing at this service's base URL and the redirect back to this set-up
// server.
func manifestJSON(m manifest, baseURL, redirectURL string) (string, error) {
	m.HookAttributes.URL = strings.TrimSuffix(baseURL, "/") + "/api/github/hook"
	m.RedirectURL = redirectURL
	if len(m.CallbackURLs) > 0 {
		m.CallbackURLs = []string{strings.TrimSuffix(baseURL, "/") + "/login/callback"}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// checkPublicURL says what is wrong with COHORTBOT_PUBLIC_URL, or "" when it
// can receive webhooks in principle. Unset is fine: the page then uses the
// address the browser used.
func checkPublicURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("COHORTBOT_PUBLIC_URL (public_url) must be an absolute http(s) URL such as https://cohortbot.example.org (got %q).", raw)
	}
	return ""
}

// newAppURL is where the browser posts the manifest: the user's own apps, or
// an organization's.
func newAppURL(webURL, org, state string) string {
	base := strings.TrimSuffix(webURL, "/")
	path := "/settings/apps/new"
	if org != "" {
		path = "/organizations/" + url.PathEscape(org) + "/settings/apps/new"
	}
	return base + path + "?state=" + url.QueryEscape(state)
}

// validOrg accepts GitHub organization logins (letters, digits, hyphens).
func validOrg(org string) bool {
	if org == "" || len(org) > 39 || strings.HasPrefix(org, "-") {
		return false
	}
	for _, r := range org {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
