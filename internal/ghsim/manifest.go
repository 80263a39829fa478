package ghsim

import (
	"bytes"
	"encoding/json"
	htmltemplate "html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// GitHub's App-manifest flow (docs.github.com, "Registering a GitHub App from
// a manifest"): a browser posts a form field `manifest` (JSON) to
// /settings/apps/new or /organizations/{org}/settings/apps/new with ?state=…;
// GitHub asks the user to confirm, creates the App and redirects to the
// manifest's redirect_url with ?code=…&state=…; the code, good for one
// POST /app-manifests/{code}/conversions within an hour, buys the App's id,
// private key and webhook secret.
//
// The sim has exactly one App, so every registration approves at once (no
// confirmation page) and converts to that App: its AppID, PrivateKeyPEM and
// WebhookSecret. The manifest's webhook URL becomes the delivery URL, as on
// GitHub, unless SetWebhook already chose one (tests and cmd/ghsim --webhook
// keep control).

// AppRegistration is one manifest posted to the sim's "new App" page.
type AppRegistration struct {
	Org       string          // organization it was registered for; "" for the user's own account
	State     string          // the state query parameter, echoed to redirect_url
	Manifest  json.RawMessage // the manifest as posted
	Code      string          // the one-time code sent to redirect_url
	Converted bool            // the code was exchanged
	Time      time.Time
}

// appRegistry holds the registrations; guarded by Sim.mu.
type appRegistry struct {
	regs []AppRegistration
}

// codeTTL is how long GitHub honours a manifest code.
const codeTTL = time.Hour

// AppRegistrations returns copies of the manifests posted so far, oldest first.
func (s *Sim) AppRegistrations() []AppRegistration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AppRegistration, len(s.apps.regs))
	for i, r := range s.apps.regs {
		r.Manifest = append(json.RawMessage(nil), r.Manifest...)
		out[i] = r
	}
	return out
}

// manifestRoutes are the web pages and the conversion endpoint; none takes a
// credential (on GitHub the pages take the user's session, which the sim
// does not model, and the code is the conversion's proof).
func (s *Sim) manifestRoutes() []route {
	var rs []route
	open := func(method, pattern string, h handlerFunc) {
		rs = append(rs, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), auth: authNone, h: h})
	}
	for _, p := range []string{"/settings/apps/new", "/organizations/{org}/settings/apps/new"} {
		open("GET", p, s.newAppPage)
		open("POST", p, s.newAppFromManifest)
	}
	open("POST", "/app-manifests/{code}/conversions", s.convertManifest)
	open("GET", "/apps/{slug}/installations/new", s.installAppPage)
	open("GET", "/apps/{slug}", s.getPublicApp)
	return rs
}

// manifestFields are the manifest keys the sim reads.
type manifestFields struct {
	Name           string `json:"name"`
	Description    string `json:"description"`
	URL            string `json:"url"`
	RedirectURL    string `json:"redirect_url"`
	HookAttributes struct {
		URL    string `json:"url"`
		Active *bool  `json:"active"`
	} `json:"hook_attributes"`
}

// GET /settings/apps/new and /organizations/{org}/settings/apps/new: a form
// for a human to paste a manifest into.
func (s *Sim) newAppPage(c *ctx) (int, any) {
	return http.StatusOK, page(newAppTmpl, map[string]string{
		"Org": c.param("org"), "Action": c.r.URL.RequestURI(),
	})
}

// POST /settings/apps/new and /organizations/{org}/settings/apps/new
func (s *Sim) newAppFromManifest(c *ctx) (int, any) {
	form, err := url.ParseQuery(string(c.body))
	raw := form.Get("manifest")
	var m manifestFields
	if err == nil && raw != "" {
		err = json.Unmarshal([]byte(raw), &m)
	}
	var problem string
	switch {
	case err != nil || raw == "":
		problem = "The form carries no manifest, or the manifest is not JSON."
	case m.URL == "":
		problem = "The manifest has no url (the App's homepage), which GitHub requires."
	case !absoluteURL(m.RedirectURL):
		problem = "The manifest's redirect_url is missing or not an absolute URL, so GitHub cannot send you back with the code."
	}
	if problem != "" {
		return http.StatusUnprocessableEntity, page(errorTmpl, problem)
	}
	state := c.r.URL.Query().Get("state")
	code := randomHex(10)
	s.apps.regs = append(s.apps.regs, AppRegistration{
		Org: c.param("org"), State: state, Manifest: json.RawMessage(raw), Code: code, Time: time.Now(),
	})
	u, _ := url.Parse(m.RedirectURL)
	q := u.Query()
	q.Set("code", code)
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return http.StatusFound, webPage{location: u.String()}
}

// POST /app-manifests/{code}/conversions
func (s *Sim) convertManifest(c *ctx) (int, any) {
	var reg *AppRegistration
	for i := range s.apps.regs {
		if r := &s.apps.regs[i]; r.Code == c.param("code") {
			reg = r
		}
	}
	if reg == nil || reg.Converted || time.Since(reg.Time) > codeTTL {
		return notFound()
	}
	reg.Converted = true
	var m manifestFields
	_ = json.Unmarshal(reg.Manifest, &m)
	if m.HookAttributes.URL != "" && (m.HookAttributes.Active == nil || *m.HookAttributes.Active) && s.hookURL == "" {
		s.hookURL = m.HookAttributes.URL
	}
	app := s.renderApp()
	if reg.Org != "" {
		owner := s.st.lookupUser(reg.Org)
		if owner == nil {
			owner = s.st.ensureUser(reg.Org)
			owner.org = true
		}
		app["owner"] = s.renderUser(owner)
	}
	if m.Name != "" {
		app["name"] = m.Name
	}
	app["description"] = m.Description
	app["external_url"] = m.URL
	app["pem"] = string(s.keyPEM)
	app["webhook_secret"] = s.hookSecret
	s.oauth.init()
	app["client_secret"] = s.oauth.secret // the OAuth flow's (oauth.go)
	return http.StatusCreated, app
}

// GET /apps/{slug}: the App's public description (REST; no credential).
func (s *Sim) getPublicApp(c *ctx) (int, any) {
	if !strings.EqualFold(c.param("slug"), s.opts.AppSlug) {
		return notFound()
	}
	return http.StatusOK, s.renderApp()
}

// GET /apps/{slug}/installations/new: where the set-up page sends the
// operator to install the App. Installations are the sim's set-up
// (AddInstallation; cmd/ghsim --repo), so the page says so.
func (s *Sim) installAppPage(c *ctx) (int, any) {
	if !strings.EqualFold(c.param("slug"), s.opts.AppSlug) {
		return notFound()
	}
	var names []string
	for _, k := range sortedKeys(s.st.repos) {
		if r := s.st.repos[k]; s.st.installs[r.Installation] != nil {
			names = append(names, r.FullName)
		}
	}
	return http.StatusOK, page(installTmpl, map[string]any{"Slug": s.opts.AppSlug, "Repos": names})
}

func absoluteURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// webPage is a handler's answer that is not JSON: an HTML page or a redirect.
type webPage struct {
	html     []byte
	location string
}

func page(t *htmltemplate.Template, data any) webPage {
	var b bytes.Buffer
	_ = t.Execute(&b, data)
	return webPage{html: b.Bytes()}
}

func (p webPage) write(w http.ResponseWriter, status int) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if p.location != "" {
		h.Set("Location", p.location)
	}
	if p.html != nil {
		h.Set("Content-Type", "text/html; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(p.html)
}

const pageStyle = `<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style>`

var newAppTmpl = htmltemplate.Must(htmltemplate.New("new").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Register a new GitHub App · simulated GitHub</title>` + pageStyle + `</head><body>
<h1>Register a new GitHub App{{if .Org}} for {{.Org}}{{end}}</h1>
<p>This is the simulated GitHub. Posting an App manifest here (field <code>manifest</code>, as
GitHub's App-manifest flow does) registers the simulated App at once, without asking to
confirm, and sends the browser to the manifest's <code>redirect_url</code> with a one-time code.</p>
<form method="post" action="{{.Action}}">
<p><textarea name="manifest" rows="12" cols="70" placeholder='{"name":"cohortbot","url":"https://example.org","redirect_url":"http://127.0.0.1:8080/setup/callback"}'></textarea></p>
<p><button type="submit">Create GitHub App</button></p>
</form>
</body></html>`))

var installTmpl = htmltemplate.Must(htmltemplate.New("install").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Install {{.Slug}} · simulated GitHub</title>` + pageStyle + `</head><body>
<h1>Install {{.Slug}}</h1>
<p>The simulated GitHub installs the App when it starts, so there is nothing to do here.
{{if .Repos}}It is installed on:</p><ul>{{range .Repos}}<li>{{.}}</li>{{end}}</ul>{{else}}It is installed on no repository yet.</p>{{end}}
</body></html>`))

var errorTmpl = htmltemplate.Must(htmltemplate.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invalid manifest · simulated GitHub</title>` + pageStyle + `</head><body>
<h1>Invalid GitHub App manifest</h1><p id="error">{{.}}</p>
</body></html>`))
