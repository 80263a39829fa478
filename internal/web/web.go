// Package web serves the program's read-only pages (SPEC §14): the overview,
// a page per cohort with its attendance heatmap, and the command help. Every
// page is rendered from the database alone — no GitHub request — with
// html/template, no JavaScript, and a Content-Security-Policy that allows
// nothing but the page's own stylesheet and inline SVG.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
)

//go:embed pages/*.html
var pageFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// CSP is every page's Content-Security-Policy: nothing loads but the
// stylesheet; no script at all; forms post only here.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// Options configure the pages.
type Options struct {
	Store *store.Store
	// WebURL is GitHub's web address (https://github.com, or a simulator's),
	// for links to issues and the OAuth sign-in.
	WebURL string
	// APIURL is GitHub's REST address, used only while signing a visitor in.
	APIURL string
	// ClientID and ClientSecret are the App's OAuth credentials; without
	// them nobody can sign in and private repositories' cohorts are not
	// shown at all.
	ClientID, ClientSecret string
	// PublicURL is this service's address for the OAuth callback ("": taken
	// from the request).
	PublicURL string
	// Now is the clock of sessions (nil: time.Now).
	Now func() time.Time
	// HTTPClient calls GitHub while signing in (nil: a 10-second client).
	HTTPClient *http.Client
	Logger     zerolog.Logger
	// FiguresTTL is how long the overview reuses the program's figures (0:
	// DefaultFiguresTTL; negative: never), so that anonymous traffic on the
	// overview costs one figures query per TTL, not one per request.
	FiguresTTL time.Duration
}

// DefaultFiguresTTL keeps the overview's figures at most this stale.
const DefaultFiguresTTL = 2 * time.Second

// Handler serves the pages.
type Handler struct {
	opts   Options
	tmpl   map[string]*template.Template
	mux    *http.ServeMux
	cookie []byte // the session-signing key, nil without OAuth credentials

	figMu   sync.Mutex
	figAt   time.Time
	figLast map[int64]store.CohortFigures
	ready   readyCache
}

// New builds the pages' handler.
func New(o Options) *Handler {
	o.WebURL = strings.TrimRight(o.WebURL, "/")
	if o.WebURL == "" {
		o.WebURL = "https://github.com"
	}
	o.APIURL = strings.TrimRight(o.APIURL, "/")
	if o.APIURL == "" {
		o.APIURL = "https://api.github.com"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FiguresTTL == 0 {
		o.FiguresTTL = DefaultFiguresTTL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	h := &Handler{opts: o, tmpl: map[string]*template.Template{}, mux: http.NewServeMux()}
	if o.ClientID != "" && o.ClientSecret != "" {
		h.cookie = sessionKey(o.ClientSecret)
	}
	funcs := template.FuncMap{"add": func(a, b int) int { return a + b }, "dict": dict}
	for _, name := range []string{"overview", "cohort", "help", "message"} {
		h.tmpl[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(pageFS, "pages/layout.html", "pages/"+name+".html"))
	}
	h.mux.HandleFunc("GET /{$}", h.overview)
	h.mux.HandleFunc("GET /cohorts/{owner}/{repo}/{slug}", h.cohort)
	h.mux.HandleFunc("GET /help", h.help)
	h.mux.HandleFunc("GET /static/style.css", serveCSS)
	h.mux.HandleFunc("GET /login", h.login)
	h.mux.HandleFunc("GET /login/callback", h.callback)
	h.mux.HandleFunc("POST /logout", h.logout)
	return h
}

// Routes are the paths the server's mux hands to this handler.
var Routes = []string{"GET /{$}", "GET /cohorts/", "GET /help", "GET /static/", "GET /login", "GET /login/", "POST /logout"}

// ServeHTTP sets the headers every page shares and routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	h.mux.ServeHTTP(w, r)
}

func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(styleCSS)
}

// overviewData is what the overview's template reads.
type overviewData struct {
	base
	Groups         []repoGroup
	Bars           []stepBar
	ChartW, ChartH int
	ChartDesc      string
	// Retention is the still-active chart (SPEC §12), empty before any
	// follow-up was measured.
	Retention     []stepBar
	RetH          int
	RetentionDesc string
}

// cohortData is what the cohort page's template reads.
type cohortData struct {
	base
	Page *cohortPage
}

// base is what the layout needs on every page.
type base struct {
	Title    string
	Path     string
	Login    string
	CanLogin bool
}

func (h *Handler) base(r *http.Request, title string, s *session) base {
	b := base{Title: title, Path: r.URL.Path, CanLogin: h.cookie != nil}
	if s != nil {
		b.Login = s.Login
	}
	return b
}

// render executes a page into a buffer first, so a failure is a clean 500
// rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	b, err := h.execute(name, data)
	h.write(w, status, name, b, err)
}

func (h *Handler) execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	err := h.tmpl[name].ExecuteTemplate(&b, name+".html", data)
	return b.Bytes(), err
}

// write sends a rendered page, or a clean 500 when rendering failed.
func (h *Handler) write(w http.ResponseWriter, status int, name string, b []byte, err error) {
	if err != nil {
		h.opts.Logger.Error().Err(err).Str("page", name).Msg("render page")
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (h *Handler) message(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	h.render(w, r, status, "message", struct {
		base
		Message string
	}{h.base(r, title, h.session(r)), msg})
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.opts.Logger.Error().Err(err).Str("route", r.Pattern).Msg("page failed") // the pattern, not the path: log lines stay bounded
	h.message(w, r, http.StatusInternalServerError, "Something went wrong", "The page could not be read from the database; try again.")
}

// visible reports whether the visitor may see a cohort: public ones to
// anyone, private ones to a signed-in visitor who can read the repository.
func visible(c store.PageCohort, s *session) bool {
	return !c.Private || s.canRead(c.Repo)
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s := h.session(r)
	all, err := h.opts.Store.PageCohorts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var cs []store.PageCohort
	for _, c := range all {
		if visible(c, s) {
			cs = append(cs, c)
		}
	}
	figs, err := h.figures(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	groups := h.overviewGroups(cs, figs)
	if err := h.annotateRetention(ctx, groups); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.annotateReady(ctx, groups); err != nil {
		h.fail(w, r, err)
		return
	}
	bars, ret := graduationBars(groups), retentionBars(groups)
	trimCompleted(groups)
	h.render(w, r, http.StatusOK, "overview", overviewData{h.base(r, "Program overview", s), groups, bars,
		chartWidth + 190, 20 + 30*len(bars), chartDesc(bars), ret, 20 + 30*len(ret), retentionDesc(ret)})
}

// figures are the program's figures, reused for FiguresTTL (real time: the
// cache bounds load, it is not part of any flow). Visibility is never
// cached: the cohorts listed are read at every request.
func (h *Handler) figures(ctx context.Context) (map[int64]store.CohortFigures, error) {
	h.figMu.Lock()
	defer h.figMu.Unlock()
	if h.figLast != nil && time.Since(h.figAt) < h.opts.FiguresTTL {
		return h.figLast, nil
	}
	figs, err := h.opts.Store.ProgramFigures(ctx)
	if err != nil {
		return nil, err
	}
	h.figAt, h.figLast = time.Now(), figs
	return figs, nil
}

func chartDesc(bars []stepBar) string {
	var parts []string
	for _, b := range bars {
		parts = append(parts, b.Step+": "+itoa(b.Graduated)+" of "+itoa(b.Mentees)+" graduated")
	}
	return strings.Join(parts, "; ") + "."
}

func (h *Handler) cohort(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	repo := r.PathValue("owner") + "/" + r.PathValue("repo")
	c, err := h.opts.Store.PageCohortBySlug(r.Context(), repo, r.PathValue("slug"))
	// A private cohort the visitor may not see answers exactly as a
	// missing one, so its existence does not leak.
	if errors.Is(err, store.ErrNotFound) || err == nil && !visible(c, s) {
		msg := "There is no such cohort."
		if h.cookie != nil && s == nil {
			msg += " If it belongs to a private repository, sign in with GitHub to see it."
		}
		h.message(w, r, http.StatusNotFound, "Cohort not found", msg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.loadCohortPage(r.Context(), c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderCohort(w, cohortData{h.base(r, c.Spec.Name, s), p})
}

func (h *Handler) help(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "help", struct {
		base
		Commands []commandDoc
	}{h.base(r, "Commands", h.session(r)), commandDocs()})
}
