package setup_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/setup"
)

// TestWebhookURLFromRequest: without COHORTBOT_PUBLIC_URL the manifest's
// webhook and redirect URLs come from the address the browser used, through
// a proxy's X-Forwarded-* headers when present, as Probot does; anything
// that is not a plain host or http/https is refused, never put in the
// manifest.
func TestWebhookURLFromRequest(t *testing.T) {
	const srv = "<srv>" // the set-up server's own URL
	tests := []struct {
		name        string
		publicURL   string
		header      http.Header
		wantHook    string // webhook URL's base; "" means no form
		wantBack    string // redirect URL's base
		wantProblem string
	}{
		{name: "Host", wantHook: srv, wantBack: srv},
		{
			name:     "X-Forwarded-Host and X-Forwarded-Proto",
			header:   http.Header{"X-Forwarded-Host": {"cohortbot.example.net"}, "X-Forwarded-Proto": {"https"}},
			wantHook: "https://cohortbot.example.net", wantBack: "https://cohortbot.example.net",
		},
		{
			name:     "X-Forwarded-Host alone",
			header:   http.Header{"X-Forwarded-Host": {"cohortbot.example.net"}},
			wantHook: "http://cohortbot.example.net", wantBack: "http://cohortbot.example.net",
		},
		{
			name:     "X-Forwarded-Proto alone",
			header:   http.Header{"X-Forwarded-Proto": {"HTTPS"}},
			wantHook: "https://<host>", wantBack: "https://<host>",
		},
		{
			name:     "several proxies: the first values",
			header:   http.Header{"X-Forwarded-Host": {"cohortbot.example.net, 10.0.0.7:8080"}, "X-Forwarded-Proto": {"https, http"}},
			wantHook: "https://cohortbot.example.net", wantBack: "https://cohortbot.example.net",
		},
		{
			name:     "port, upper case",
			header:   http.Header{"X-Forwarded-Host": {"CohortBot.Example.NET:8443"}, "X-Forwarded-Proto": {"https"}},
			wantHook: "https://cohortbot.example.net:8443", wantBack: "https://cohortbot.example.net:8443",
		},
		{
			name:     "IPv6",
			header:   http.Header{"X-Forwarded-Host": {"[2001:db8::1]:8443"}, "X-Forwarded-Proto": {"https"}},
			wantHook: "https://[2001:db8::1]:8443", wantBack: "https://[2001:db8::1]:8443",
		},
		{
			name: "public URL opened through its proxy", publicURL: "https://cohortbot.example.org",
			header:   http.Header{"X-Forwarded-Host": {"cohortbot.example.org"}, "X-Forwarded-Proto": {"https"}},
			wantHook: "https://cohortbot.example.org", wantBack: "https://cohortbot.example.org",
		},
		{
			name: "public URL, page opened elsewhere", publicURL: "https://cohortbot.example.org",
			wantHook: "https://cohortbot.example.org", wantBack: srv,
		},
		{
			name: "public URL, bad forwarded host", publicURL: "https://cohortbot.example.org",
			header:   http.Header{"X-Forwarded-Host": {"evil.example/x"}},
			wantHook: "https://cohortbot.example.org", wantBack: "https://cohortbot.example.org",
		},
		{name: "path in X-Forwarded-Host", header: http.Header{"X-Forwarded-Host": {"evil.example/hook?x="}}, wantProblem: `X-Forwarded-Host header "evil.example/hook?x="`},
		{name: "space in X-Forwarded-Host", header: http.Header{"X-Forwarded-Host": {"evil.example x"}}, wantProblem: `X-Forwarded-Host header "evil.example x"`},
		{name: "user info in X-Forwarded-Host", header: http.Header{"X-Forwarded-Host": {"me@evil.example"}}, wantProblem: `"me@evil.example" is not a host name`},
		{name: "bad port", header: http.Header{"X-Forwarded-Host": {"evil.example:99999"}}, wantProblem: `"evil.example:99999" is not a host name`},
		{name: "CRLF in X-Forwarded-Host", header: http.Header{"X-Forwarded-Host": {"evil.example\r\nSet-Cookie: a=b"}}, wantProblem: `"evil.example\r\nSet-Cookie: a=b" is not a host name`},
		{name: "X-Forwarded-Proto javascript", header: http.Header{"X-Forwarded-Proto": {"javascript"}}, wantProblem: `X-Forwarded-Proto header "javascript" is neither http nor https`},
		{name: "X-Forwarded-Proto ftp", header: http.Header{"X-Forwarded-Proto": {"ftp"}}, wantProblem: `"ftp" is neither http nor https`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, func(o *setup.Options) { o.PublicURL = tc.publicURL })
			page := r.pageWith(t, tc.header)
			if tc.wantProblem != "" {
				text := html.UnescapeString(page)
				if actionRE.MatchString(page) || !strings.Contains(text, "Cannot tell where GitHub should send webhooks") || !strings.Contains(text, tc.wantProblem) {
					t.Errorf("want no form and the problem %q:\n%s", tc.wantProblem, page)
				}
				return
			}
			fill := strings.NewReplacer(srv, r.srv.URL, "<host>", strings.TrimPrefix(r.srv.URL, "http://"))
			_, manifest := form(t, page)
			got := []any{manifest["hook_attributes"].(map[string]any)["url"], manifest["redirect_url"]}
			want := []any{fill.Replace(tc.wantHook) + "/api/github/hook", fill.Replace(tc.wantBack) + "/setup/callback"}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("manifest's webhook and redirect URLs (-want +got):\n%s", d)
			}
			if !strings.Contains(page, `<code id="hook">`+want[0].(string)+`</code>`) {
				t.Errorf("page does not show the webhook URL %s:\n%s", want[0], page)
			}
		})
	}
}

// pageWith renders the set-up page for the operator's browser with extra
// headers. net/http refuses to send a header with CR or LF, so such a
// request goes to the handler directly, as a lenient proxy could pass it on.
func (r *rig) pageWith(t *testing.T, h http.Header) string {
	t.Helper()
	req := mustRequest(t, r.srv.URL+"/")
	for k, v := range h {
		req.Header[k] = v
	}
	if !strings.ContainsAny(strings.Join(h.Values("X-Forwarded-Host"), ""), "\r\n") {
		resp, page := do(t, r.client, req)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("set-up page: %d\n%s", resp.StatusCode, page)
		}
		return page
	}
	for _, c := range r.client.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	r.handler.ServeHTTP(rec, req)
	return rec.Body.String()
}
