package setup

import (
	"html/template"
	"net/http"
	"os"
	"strings"
	"time"
)

// indexData is what the set-up page shows.
type indexData struct {
	Problems     []string // why the App cannot be registered from here yet
	Action       string   // where the manifest is posted
	ManifestJSON string
	Org          string
	HookURL      string // where GitHub will send webhooks
	FromRequest  bool   // HookURL comes from the request, not COHORTBOT_PUBLIC_URL
	WebURL       string
}

// index is the set-up page. Only the operator's browser (the set-up cookie)
// gets the form: anyone else reaching a fresh deployment could otherwise
// register an App of their own into it.
func (h *handler) index(w http.ResponseWriter, r *http.Request) {
	if tok, ok := r.URL.Query()["token"]; ok {
		h.redeem(w, r, tok[0])
		return
	}
	cookie := h.operatorCookie(r)
	if reg := h.registration(); reg != nil {
		if cookie != "" {
			render(w, http.StatusOK, donePage, reg)
		} else {
			render(w, http.StatusOK, registeredPage, nil)
		}
		return
	}
	if cookie == "" {
		render(w, http.StatusForbidden, lockedPage, false)
		return
	}
	d := indexData{WebURL: h.opts.WebURL, Org: h.opts.Org, FromRequest: h.opts.PublicURL == ""}
	d.Problems = h.problems(r, &d)
	hookBase, redirectBase, err := h.urls(r)
	if err != nil {
		d.Problems = append(d.Problems, "Cannot tell where GitHub should send webhooks: "+err.Error()+
			". Fix the proxy's headers or set COHORTBOT_PUBLIC_URL.")
	}
	d.HookURL = hookBase + "/api/github/hook"
	if len(d.Problems) == 0 {
		state, err := h.newState(cookie)
		if err != nil {
			render(w, http.StatusInternalServerError, errorPage, "cannot create a state token: "+err.Error())
			return
		}
		d.Action = newAppURL(h.opts.WebURL, d.Org, state)
		d.ManifestJSON, err = manifestJSON(h.manifest, hookBase, redirectBase+"/setup/callback")
		if err != nil {
			render(w, http.StatusInternalServerError, errorPage, err.Error())
			return
		}
	}
	render(w, http.StatusOK, indexPage, d)
}

// problems lists what keeps the App from being registered from here; it
// sets d.Org from the page's organization field.
func (h *handler) problems(r *http.Request, d *indexData) []string {
	var ps []string
	if org := strings.TrimSpace(r.URL.Query().Get("org")); org != "" {
		if !validOrg(org) {
			ps = append(ps, "“"+org+"” is not a GitHub organization name (letters, digits and hyphens).")
		}
		d.Org = org
	}
	if h.manifestE != nil {
		ps = append(ps, h.manifestE.Error())
	}
	if p := checkPublicURL(h.opts.PublicURL); p != "" {
		ps = append(ps, p)
	}
	if _, err := os.Stat(h.opts.CredentialsPath); err == nil {
		ps = append(ps, "A credentials file already exists at "+h.opts.CredentialsPath+
			": start cohortbot with --config "+h.opts.CredentialsPath+" instead of registering again.")
	}
	return ps
}

// callback is where GitHub sends the operator's browser back with the code.
// Nothing is exchanged unless the browser holds the set-up cookie and the
// state was issued to it and not used yet, and only one App is ever
// registered: the token is spent once that succeeds.
func (h *handler) callback(w http.ResponseWriter, r *http.Request) {
	cookie := h.operatorCookie(r)
	if cookie == "" {
		render(w, http.StatusForbidden, errorPage, "This browser did not open the set-up URL that cohortbot wrote in its log, "+
			"so it cannot complete a registration. Open that URL and start again.")
		return
	}
	q := r.URL.Query()
	if !h.takeState(cookie, q.Get("state")) {
		render(w, http.StatusBadRequest, errorPage, "This registration was not started on this page, or it is more than an hour old. "+
			"Go back to the set-up page and press the button again.")
		return
	}
	code := q.Get("code")
	if code == "" {
		render(w, http.StatusBadRequest, errorPage, "GitHub sent no registration code. Go back to the set-up page and try again.")
		return
	}
	if !h.beginExchange() {
		render(w, http.StatusConflict, errorPage, "cohortbot is already registered, or another registration is completing; "+
			"it registers one App only.")
		return
	}
	reg, status, msg := h.complete(r, code)
	h.endExchange(reg)
	if reg == nil {
		render(w, status, errorPage, msg)
		return
	}
	if h.opts.OnRegistered != nil {
		h.opts.OnRegistered(reg.Credentials, reg.Path)
	}
	render(w, http.StatusOK, donePage, reg)
}

// complete trades code for the App's credentials and writes them.
func (h *handler) complete(r *http.Request, code string) (*registration, int, string) {
	creds, err := exchange(r.Context(), h.opts.Client, h.opts.APIURL, code)
	if err != nil {
		return nil, http.StatusBadGateway, err.Error()
	}
	path, err := writeCredentials(h.opts, creds)
	if err != nil {
		return nil, http.StatusInternalServerError, "The App " + creds.Slug + " was created on GitHub but its credentials could not be saved (" +
			err.Error() + "). Delete the App in its settings (" + creds.HTMLURL + "/advanced), fix the problem and register again."
	}
	return &registration{Credentials: creds, Path: path}, 0, ""
}

// beginExchange lets one callback at a time trade a code, and none once an
// App is registered (two tabs' states must not register two Apps).
func (h *handler) beginExchange() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.registered != nil || h.exchanging {
		return false
	}
	h.exchanging = true
	return true
}

func (h *handler) endExchange(reg *registration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.exchanging = false
	if reg != nil {
		h.registered = reg
		h.states = map[string]time.Time{}
	}
}

func render(w http.ResponseWriter, status int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
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
<code id="hook">{{.HookURL}}</code>{{if .FromRequest}} (the address you opened this page at; set
<code>COHORTBOT_PUBLIC_URL</code> if GitHub must use another){{end}}.</p>
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

// lockedPage is all a visitor without the set-up cookie sees; its data says
// whether a token came with the request (and was wrong).
var lockedPage = template.Must(template.New("locked").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Set up cohortbot</title>` + style + `</head><body>
<h1>Set up cohortbot</h1>
<p id="locked">{{if .}}This set-up URL is not valid: the token changes each time cohortbot starts, and it stops working once the App is registered.
{{end}}Only the operator of this cohortbot can register its GitHub App. Open the one-time set-up URL that
cohortbot wrote in its log when it started (<code>To register the App, open http://…/?token=…</code>).</p>
</body></html>`))

// registeredPage tells anyone but the operator that set-up is over, without
// naming the App.
var registeredPage = template.Must(template.New("registered").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cohortbot is registered</title>` + style + `</head><body>
<h1>cohortbot is registered</h1>
<p id="registered">Its GitHub App exists and the set-up URL no longer works. Restart cohortbot with the
credentials file named in its log.</p>
</body></html>`))
