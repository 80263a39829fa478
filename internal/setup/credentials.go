package setup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Credentials are what GitHub returns when it converts a manifest code into
// an App.
type Credentials struct {
	AppID         int64  `json:"id"`
	Slug          string `json:"slug"`
	HTMLURL       string `json:"html_url"`
	WebhookSecret string `json:"webhook_secret"`
	PrivateKey    string `json:"pem"`
	ClientID      string `json:"client_id"`
	ClientSecret  string `json:"client_secret"`
}

// exchange trades the one-time code for the App's credentials. The request is
// unauthenticated: the code itself, valid for an hour and one use, is the
// proof.
func exchange(ctx context.Context, client *http.Client, apiURL, code string) (Credentials, error) {
	u := strings.TrimSuffix(apiURL, "/") + "/app-manifests/" + url.PathEscape(code) + "/conversions"
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return Credentials{}, err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := client.Do(req)
	if err != nil {
		return Credentials{}, fmt.Errorf("cannot reach GitHub's API at %s (GITHUB_V3_API_URL): %w", apiURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Credentials{}, fmt.Errorf("read GitHub's answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Message string }
		_ = json.Unmarshal(body, &e)
		return Credentials{}, fmt.Errorf("GitHub refused the registration code (HTTP %d: %s); codes work once and expire after an hour, so start again", resp.StatusCode, e.Message)
	}
	var c Credentials
	if err := json.Unmarshal(body, &c); err != nil {
		return Credentials{}, fmt.Errorf("GitHub's answer is not the expected JSON: %w", err)
	}
	if c.AppID == 0 || c.PrivateKey == "" || c.WebhookSecret == "" {
		return Credentials{}, errors.New("GitHub's answer lacks the App id, private key or webhook secret")
	}
	return c, nil
}

// credentialsFile is a cohortbot server config file (config.Server's keys)
// holding only what registration produced, so `serve --config FILE` starts
// with it as it is.
type credentialsFile struct {
	PublicURL string `yaml:"public_url,omitempty"`
	GitHub    struct {
		WebURL   string `yaml:"web_url,omitempty"`
		V3APIURL string `yaml:"v3_api_url,omitempty"`
		App      struct {
			IntegrationID int64  `yaml:"integration_id"`
			WebhookSecret string `yaml:"webhook_secret"`
			PrivateKey    string `yaml:"private_key"`
			// The OAuth client, for sign-in on the web pages.
			ClientID     string `yaml:"client_id,omitempty"`
			ClientSecret string `yaml:"client_secret,omitempty"`
		} `yaml:"app"`
	} `yaml:"github"`
}

// writeCredentials creates path readable by its owner only. It never
// replaces an existing file: that could be an earlier App's only copy of its
// key. When path exists, it writes path.APPID instead and returns that name.
func writeCredentials(o Options, c Credentials) (string, error) {
	var f credentialsFile
	f.PublicURL = o.PublicURL
	f.GitHub.WebURL = o.WebURL
	f.GitHub.V3APIURL = o.APIURL
	f.GitHub.App.IntegrationID = c.AppID
	f.GitHub.App.WebhookSecret = c.WebhookSecret
	f.GitHub.App.PrivateKey = c.PrivateKey
	f.GitHub.App.ClientID = c.ClientID
	f.GitHub.App.ClientSecret = c.ClientSecret
	body, err := yaml.Marshal(f)
	if err != nil {
		return "", err
	}
	header := fmt.Sprintf("# cohortbot credentials for the GitHub App %q (%s),\n"+
		"# written by the set-up page on %s. Keep this file secret.\n"+
		"# Start with: cohortbot serve --config <this file>\n",
		c.Slug, c.HTMLURL, o.Now().UTC().Format(time.RFC3339))
	data := append([]byte(header), body...)
	path := o.CredentialsPath
	for _, p := range []string{path, fmt.Sprintf("%s.%d", path, c.AppID)} {
		err = writeNew(p, data)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("write credentials: %w", err)
		}
	}
	return "", fmt.Errorf("write credentials: %w", err)
}

// writeNew creates name with mode 0600 (whatever the umask), failing when it
// exists.
func writeNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
