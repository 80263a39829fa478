// Package inproc connects the production GitHub client (internal/gh) to a
// simulated GitHub (internal/ghsim) in the same process: requests go from
// go-github straight into the sim's http.Handler on the caller's goroutine,
// with no listener, socket or server goroutine between them. Everything
// the sim checks — GitHub's REST description, its refusals (422, 404, 410),
// labels, assignees — is checked as it is over loopback, and a *gh.Client
// built here implements every narrow interface the flows of internal/bot
// declare (CommentGitHub, RequestGitHub, TickGitHub, TaskGitHub, …).
//
// Flow tests use it through internal/bot/bottest.
package inproc

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// Transport is an http.RoundTripper that answers every request with the
// sim's handler, authenticated as one installation.
type Transport struct {
	Sim   *ghsim.Sim
	Token string // an installation token (ghsim.Sim.InstallationToken)
}

// RoundTrip serves r with the sim. It never returns an error: GitHub's
// refusals are answers, read by go-github as they are over the network.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.Header.Set("Authorization", "token "+t.Token)
	rec := &recorder{header: http.Header{}}
	t.Sim.ServeHTTP(rec, in)
	if r.Body != nil {
		_ = r.Body.Close()
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &http.Response{
		Status:        strconv.Itoa(rec.status) + " " + http.StatusText(rec.status),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()),
		Request:       r,
	}, nil
}

// recorder is the http.ResponseWriter the sim writes its answer to.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// GitHub returns go-github's client for installation of sim, served in
// process. It fails for an installation the sim does not have.
func GitHub(sim *ghsim.Sim, installation int64) (*github.Client, error) {
	tok := sim.InstallationToken(installation)
	if tok == "" {
		return nil, fmt.Errorf("inproc: the simulated GitHub has no installation %d", installation)
	}
	c := github.NewClient(&http.Client{Transport: &Transport{Sim: sim, Token: tok}})
	base, err := url.Parse(sim.URL() + "/")
	if err != nil {
		return nil, err
	}
	c.BaseURL = base
	return c, nil
}

// Client returns the production client (internal/gh) for installation of
// sim, served in process: what handlers build per delivery, without the
// pacer (flow tests do not test pacing). Labels known to exist are
// remembered per client, as a process remembers them.
func Client(sim *ghsim.Sim, installation int64) (*gh.Client, *github.Client, error) {
	raw, err := GitHub(sim, installation)
	if err != nil {
		return nil, nil, err
	}
	return gh.New(raw, &sync.Map{}), raw, nil
}
