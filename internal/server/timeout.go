package server

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
)

// requestTimeout bounds each GitHub request, as http.Client.Timeout would,
// but lets go of the request once its response body has been read to the
// end, not only when the body is closed.
//
// With http.Client.Timeout and a RoundTripper other than *http.Transport
// (go-githubapp's middleware chain), net/http starts a goroutine and a timer
// per request that live until the body is closed. go-github reads an error
// response to EOF and replaces the body without closing it, so every 404 —
// two per event when a repository has no .github/cohortbot.yml — kept a
// goroutine, a timer and the request alive for the whole timeout: ~8,000 of
// them, and peak RSS 122 MB instead of 47 MB, at 135 events/s (issue 7,
// docs/PERFORMANCE.md).
func requestTimeout(d time.Duration) githubapp.ClientMiddleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			resp, err := next.RoundTrip(r.WithContext(ctx))
			if err != nil || resp == nil {
				cancel()
				return resp, err
			}
			resp.Body = &releaseOnEOF{ReadCloser: resp.Body, release: cancel}
			return resp, nil
		})
	}
}

// releaseOnEOF releases the request's deadline at the end of the body or
// when it is closed, whichever comes first.
type releaseOnEOF struct {
	io.ReadCloser
	release context.CancelFunc
}

func (b *releaseOnEOF) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.release()
	}
	return n, err
}

func (b *releaseOnEOF) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
