package setup

import (
	"html/template"
	"net/http"
	"os"
	"strings"
)

// indexData is what the set-up page shows.
type indexData struct {
	Problems     []string // why the App cannot be registered from here yet
	Registered   *registration
	Action       string // where the manifest is posted
	ManifestJSON string
	Org          string
	PublicURL    string
	WebURL       string
}

func (h *handler) index(w http.ResponseWriter, r *http.Request) {
	d := indexData{PublicURL: h.opts.PublicURL, WebURL: h.opts.WebURL, Org: h.opts.Org}
	h.mu.Lock()
	d.Registered = h.registered
	h.mu.Unlock()
	if d.Registered != nil {
		render(w, http.StatusOK, donePage, d.Registered)
		return
	}
	if org := strings.TrimSpace(r.URL.Query().Get("org")); org != "" {
		if !validOrg(org) {
			d.Problems = append(d.Problems, "“"+org+"” is not a GitHub organization name (letters, digits and hyphens).")
		}
		d.Org = org
	}
	if h.manifestE != nil {
		d.Problems = append(d.Problems, h.manifestE.Error())
	}
	if p := checkPublicURL(h.opts.PublicURL); p != "" {
		d.Problems = append(d.Problems, p)
	}
	if _, err := os.Stat(h.opts.CredentialsPath); err == nil {
		d.Problems = append(d.Problems, "A credentials file already exists at "+h.opts.CredentialsPath+
			": start cohortbot with --config "+h.opts.CredentialsPath+" instead of registering again.")
	}
	if len(d.Problems) == 0 {
		state, err := h.newState()
		if err != nil {
			render(w, http.StatusInternalServerError, errorPage, "cannot create a state token: "+err.Error())
			return
		}
		d.Action = newAppURL(h.opts.WebURL, d.Org, state)
		d.ManifestJSON, err = manifestJSON(h.manifest, h.opts.PublicURL, h.redirectURL(r))
		if err != nil {
			render(w, http.StatusInternalServerError, errorPage, err.Error())
			return
		}
	}
	render(w, http.StatusOK, indexPage, d)
}

func (h *handler) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !h.takeState(q.Get("state")) {
		render(w, http.StatusBadRequest, errorPage, "This registration was not started on this page, or it is more than an hour old. "+
			"Go back to the set-up page and press the button again.")
		return
	}
	code := q.Get("code")
	if code == "" {
		render(w, http.StatusBadRequest, errorPage, "GitHub sent no registration code. Go back to the set-up page and try again.")
		return
	}
	creds, err := exchange(r.Context(), h.opts.Client, h.opts.APIURL, code)
	if err != nil {
		render(w, http.StatusBadGateway, errorPage, err.Error())
		return
	}
	path, err := writeCredentials(h.opts, creds)
	if err != nil {
		render(w, http.StatusInternalServerError, errorPage, "The App "+creds.Slug+" was created on GitHub but its credentials could not be saved ("+
			err.Error()+"). Delete the App in its settings ("+creds.HTMLURL+"/advanced), fix the problem and register again.")
		return
	}
	reg := &registration{Credentials: creds, Path: path}
	h.mu.Lock()
	h.registered = reg
	h.mu.Unlock()
	if h.opts.OnRegistered != nil {
		h.opts.OnRegistered(creds, path)
	}
	render(w, http.StatusOK, donePage, reg)
}

func render(w http.ResponseWriter, status int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = t.Execute(w, data)
}

const style = `<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:.6rem;overflow-x:auto}
button{font-size:1.1rem;padding:.5rem 1rem}.problem{color:#a00}</style>`

var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Set up cohortbot</title>` + style + `</head><body>
<h1>Set up cohortbot</h1>
<p>cohortbot is running without GitHub App credentials, so it processes no webhooks yet. Missing:
<code>GITHUB_APP_INTEGRATION_ID</code>, <code>GITHUB_APP_WEBHOOK_SECRET</code> and
<code>GITHUB_APP_PRIVATE_KEY</code> (or <code>GITHUB_APP_PRIVATE_KEY_PATH</code>).</p>
{{if .Problems}}<h2>Before you can register</h2><ul id="problems">{{range .Problems}}<li class="problem">{{.}}</li>{{end}}</ul>
{{else}}<p>Register the App on <a href="{{.WebURL}}">{{.WebURL}}</a>{{if .Org}} for the organization <strong>{{.Org}}</strong>{{else}} under your own account{{end}},
with the permissions and events listed in <code>app.yml</code>. GitHub will send webhooks to
<code>{{.PublicURL}}/api/github/hook</code>.</p>
<form id="register" action="{{.Action}}" method="post">
<input type="hidden" name="manifest" value="{{.ManifestJSON}}">
<button type="submit">Register the GitHub App</button>
</form>{{end}}
<form id="org" method="get" action="/"><p>Register for an organization instead:
<input name="org" value="{{.Org}}" placeholder="organization" size="20"> <button type="submit">Use this organization</button></p></form>
<p>Prefer to do it by hand? Create the App with the settings in <code>app.yml</code> and set the variables above; see <code>docs/operations.md</code>.</p>
</body></html>`))

var donePage = template.Must(template.New("done").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cohortbot is registered</title>` + style + `</head><body>
<h1>cohortbot is registered</h1>
<p id="done">GitHub created the App <a href="{{.HTMLURL}}">{{.Slug}}</a> (App ID <code>{{.AppID}}</code>).
Its credentials are in <code>{{.Path}}</code>, readable only by the user running cohortbot. Keep that file secret.</p>
<h2>Next steps</h2>
<ol>
<li>Stop this server and start it with the credentials:
<pre>cohortbot serve --config {{.Path}}</pre>
If you already start cohortbot with a config file, copy the <code>github.app</code> section of
<code>{{.Path}}</code> into it; or set <code>GITHUB_APP_INTEGRATION_ID={{.AppID}}</code>,
<code>GITHUB_APP_WEBHOOK_SECRET</code> and <code>GITHUB_APP_PRIVATE_KEY</code> from the file.</li>
<li><a id="install" href="{{.HTMLURL}}/installations/new">Install the App</a> on the organization or the mentoring repository.</li>
<li>Copy the issue form and <code>.github/cohortbot.yml</code> into the mentoring repository (see <code>docs/operations.md</code>).</li>
</ol>
</body></html>`))

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cohortbot set-up failed</title>` + style + `</head><body>
<h1>Registration did not complete</h1>
<p id="error" class="problem">{{.}}</p>
<p><a href="/">Back to the set-up page</a></p>
</body></html>`))
