package ghsim

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/cohortbot/cohortbot/internal/ghsim/openapi"
)

// The sim checks every API request against GitHub's own REST description
// (internal/ghsim/openapi): an operation for the method and path, known query
// parameters, a JSON body its schema accepts. A mismatch is reported to the
// test (Options.OnInvalid) and answered as GitHub answers it: 404 for a path
// or method GitHub does not serve, 400 for a body that is not JSON, 422
// "Invalid request." for a body the schema refuses. An unknown query
// parameter is reported but the request is served: GitHub ignores it.

type checkKey struct{}

// checked is the verdict on one request, computed once in ServeHTTP and read
// by route (also when a fault injector routes the request itself).
type checked struct {
	res  openapi.Result
	skip bool // a web page (github.com, not the API): not in the description
}

var apiSpec = mustLoadSpec()

func mustLoadSpec() *openapi.Spec {
	s, err := openapi.Load()
	if err != nil {
		panic(fmt.Sprintf("ghsim: %v", err))
	}
	return s
}

// check runs the description check for a request the sim routes to rt (nil
// when the sim has no route: route reports that as unknown).
func (s *Sim) check(r *http.Request, rt *route, body []byte) checked {
	if rt != nil && rt.auth == authNone && isWebPage(r.URL.Path) {
		return checked{skip: true}
	}
	return checked{res: apiSpec.Check(r.Method, r.URL.EscapedPath(), r.URL.RawQuery, body)}
}

// isWebPage tells the github.com pages of the manifest and OAuth web flows
// from API paths.
func isWebPage(path string) bool {
	return strings.HasPrefix(path, "/settings/") || strings.HasPrefix(path, "/organizations/") ||
		strings.HasSuffix(path, "/installations/new") || strings.HasPrefix(path, "/login/oauth/")
}

// report hands each problem to OnInvalid, or to OnUnknown when only that is
// set (so that every existing test fails on a request GitHub would refuse).
func (s *Sim) report(method, path string, c checked) {
	if c.skip {
		return
	}
	for _, p := range c.res.Problems {
		switch {
		case s.opts.OnInvalid != nil:
			s.opts.OnInvalid(method, path, p)
		case s.opts.OnUnknown != nil:
			s.opts.OnUnknown(method, path+" (does not match GitHub's REST description: "+p+")")
		}
	}
}

func withChecked(r *http.Request, c checked) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), checkKey{}, c))
}

// checkedOf returns the verdict ServeHTTP stored, or computes it.
func (s *Sim) checkedOf(r *http.Request, rt *route, body []byte) checked {
	if c, ok := r.Context().Value(checkKey{}).(checked); ok {
		return c
	}
	return s.check(r, rt, body)
}

// refusal is GitHub's answer to a request its description refuses, or
// status 0 when the request is to be served.
func refusal(c checked) (int, any) {
	if c.skip || c.res.Status == 0 {
		return 0, nil
	}
	return errResp(c.res.Status, c.res.Message)
}
