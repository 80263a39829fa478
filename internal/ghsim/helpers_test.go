package ghsim

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

const (
	testInst = int64(7)
	testRepo = "kubernetes/mentoring"
	owner    = "kubernetes"
	repoName = "mentoring"
)

var ctxBG = context.Background()

// testKey is the App key of the tests' sims, generated once per package run
// (a 2048-bit key costs a good part of a second of CPU). A test that needs
// another key starts a sim without newTestSim (TestAuth).
var testKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// newTestSim starts a sim with one installation and repo; unknown routes fail the test.
func newTestSim(t *testing.T, opts Options) *Sim {
	t.Helper()
	if opts.OnUnknown == nil {
		opts.OnUnknown = func(method, path string) { t.Errorf("unknown route %s %s", method, path) }
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC) }
	}
	if opts.Key == nil {
		key, err := testKey()
		if err != nil {
			t.Fatal(err)
		}
		opts.Key = key
	}
	s := New(opts)
	t.Cleanup(s.Close)
	s.AddInstallation(testInst, owner)
	s.AddRepo(testInst, testRepo, false)
	for _, u := range []string{"alice", "bob", "carol"} {
		s.AddUser(u)
	}
	return s
}

// botClient builds the installation client the way the bot does (go-githubapp).
func botClient(t *testing.T, s *Sim) *github.Client {
	t.Helper()
	cc := githubapp.NewClientCreator(s.URL()+"/", "", s.AppID(), s.PrivateKeyPEM())
	c, err := cc.NewInstallationClient(testInst)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ghinstallationClient builds a client directly with ghinstallation.
func ghinstallationClient(t *testing.T, s *Sim, inst int64) *github.Client {
	t.Helper()
	tr, err := ghinstallation.New(http.DefaultTransport, s.AppID(), inst, s.PrivateKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	tr.BaseURL = s.URL()
	c := github.NewClient(&http.Client{Transport: tr})
	c.BaseURL, _ = url.Parse(s.URL() + "/")
	return c
}

// statusOf is the HTTP status of a go-github error (0 for none).
func statusOf(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return er.Response.StatusCode
	}
	return 0
}

func must[T any](t *testing.T) func(T, *github.Response, error) T {
	return func(v T, _ *github.Response, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
