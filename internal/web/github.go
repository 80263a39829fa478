package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// signIn exchanges the OAuth code for the user's token, reads who the user
// is and which private repositories with cohorts they can read, and drops
// the token: it never leaves this function.
func (h *Handler) signIn(ctx context.Context, code string) (session, error) {
	if code == "" {
		return session{}, errors.New("no code")
	}
	token, err := h.exchange(ctx, code)
	if err != nil {
		return session{}, err
	}
	var user struct {
		Login string `json:"login"`
	}
	if err := h.getJSON(ctx, token, "/user", &user); err != nil || user.Login == "" {
		return session{}, fmt.Errorf("read the signed-in user: %v", err)
	}
	private, err := h.opts.Store.PrivateRepoInstallations(ctx)
	if err != nil {
		return session{}, err
	}
	readable, err := h.readable(ctx, token, private)
	if err != nil {
		return session{}, err
	}
	return session{Login: user.Login, Repos: readable, Expires: h.opts.Now().Add(SessionTTL).Unix()}, nil
}

func (h *Handler) exchange(ctx context.Context, code string) (string, error) {
	form := url.Values{"client_id": {h.opts.ClientID}, "client_secret": {h.opts.ClientSecret}, "code": {code}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.opts.WebURL+"/login/oauth/access_token",
		strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := h.opts.HTTPClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&out); err != nil {
		return "", fmt.Errorf("code exchange: %w", err)
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("code exchange refused: %q (HTTP %d)", out.Error, resp.StatusCode)
	}
	return out.AccessToken, nil
}

// readable asks, per installation, which of its repositories the user can
// reach (GET /user/installations/{id}/repositories), and keeps the private
// ones with cohorts.
func (h *Handler) readable(ctx context.Context, token string, private map[string]int64) ([]string, error) {
	insts := map[int64]bool{}
	for _, id := range private {
		insts[id] = true
	}
	seen := map[string]bool{}
	for id := range insts {
		for page := 1; page <= 10; page++ {
			var out struct {
				Repositories []struct {
					FullName string `json:"full_name"`
				} `json:"repositories"`
			}
			err := h.getJSON(ctx, token, fmt.Sprintf("/user/installations/%d/repositories?per_page=100&page=%d", id, page), &out)
			if errors.Is(err, errNoAccess) {
				break
			}
			if err != nil {
				return nil, err
			}
			for _, r := range out.Repositories {
				if l := strings.ToLower(r.FullName); private[l] == id {
					seen[l] = true
				}
			}
			if len(out.Repositories) < 100 {
				break
			}
		}
	}
	var repos []string
	for r := range seen {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	if len(repos) > maxSessionRepos {
		repos = repos[:maxSessionRepos]
	}
	return repos, nil
}

var errNoAccess = errors.New("no access")

func (h *Handler) getJSON(ctx context.Context, token, path string, dst any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.opts.APIURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := h.opts.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden:
		return errNoAccess
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("GET %s: HTTP %d", strings.SplitN(path, "?", 2)[0], resp.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(dst)
}
