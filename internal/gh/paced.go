package gh

import (
	"net/http"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// Paced wraps a ClientCreator so that every installation client sends
// through p, keyed by its installation.
//
// Why a creator and not a githubapp.ClientMiddleware: a middleware is
// built per client without being told the installation, and go-githubapp
// keeps the installation id it puts in the request context under an
// unexported key. The creator knows the id, so it wraps the finished
// client's transport (outermost: a refused request reaches neither the
// token transport nor the metrics).
func Paced(cc githubapp.ClientCreator, p *Pacer) githubapp.ClientCreator {
	return &pacedCreator{ClientCreator: cc, p: p}
}

type pacedCreator struct {
	githubapp.ClientCreator
	p *Pacer
}

// NewInstallationClient returns the delegate's client for installation,
// sending through the Pacer.
func (c *pacedCreator) NewInstallationClient(installation int64) (*github.Client, error) {
	raw, err := c.ClientCreator.NewInstallationClient(installation)
	if err != nil {
		return nil, err
	}
	hc := raw.Client() // a copy: the cached delegate client stays as it is
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = c.p.Transport(installation, next)
	pc := github.NewClient(hc)
	pc.BaseURL, pc.UploadURL, pc.UserAgent = raw.BaseURL, raw.UploadURL, raw.UserAgent
	return pc, nil
}
