package ghsim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const docsURL = "https://docs.github.com/rest"

// authKind says which credential a route takes.
type authKind int

const (
	authToken authKind = iota // installation token
	authJWT                   // App JWT
	authNone                  // none: web pages and the manifest conversion
)

// handlerFunc answers a request; it runs with s.mu held. A nil body with a
// 2xx status writes no body (204).
type handlerFunc func(c *ctx) (int, any)

type route struct {
	method string
	segs   []string
	auth   authKind
	h      handlerFunc
}

// ctx is the request being handled.
type ctx struct {
	s      *Sim
	r      *http.Request
	body   []byte
	params map[string]string
	inst   int64 // installation of the token; 0 for the App JWT
	header http.Header
}

func (c *ctx) param(name string) string { return c.params[name] }

func (c *ctx) intParam(name string) int {
	n, _ := strconv.Atoi(c.params[name])
	return n
}

// bufWriter buffers a response so that the request is recorded before the
// client sees the answer (tests read Requests() right after a call returns).
type bufWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (w *bufWriter) Header() http.Header { return w.header }

func (w *bufWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.buf.Write(b)
}

// ServeHTTP implements http.Handler: it runs the intercept hook, routes the
// request, records it, then sends the answer.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	bw := &bufWriter{header: w.Header()}
	rt, _ := s.match(r.Method, r.URL.EscapedPath())
	chk := s.check(r, rt, body)
	if rt != nil {
		s.report(r.Method, r.URL.Path, chk)
	}
	r = withChecked(r, chk)
	s.mu.Lock()
	inst := s.st.tokens[tokenFrom(r)].inst
	hook := s.intercept
	s.mu.Unlock()
	if hook == nil || !hook(bw, r) {
		s.route(bw, r, body)
	}
	if bw.status == 0 {
		bw.status = http.StatusOK
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body,
		Status: bw.status, Installation: inst, Time: time.Now(), Problems: chk.res.Problems,
	})
	s.mu.Unlock()
	w.WriteHeader(bw.status)
	_, _ = w.Write(bw.buf.Bytes())
}

func (s *Sim) route(w http.ResponseWriter, r *http.Request, body []byte) {
	rt, params := s.match(r.Method, r.URL.EscapedPath())
	if rt == nil {
		if s.opts.OnUnknown != nil {
			s.opts.OnUnknown(r.Method, r.URL.Path)
		}
		s.mu.Lock()
		s.rateHeaders(w.Header(), &ctx{inst: s.st.tokens[tokenFrom(r)].inst}, true)
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, ghError("Not Found"))
		return
	}
	c := &ctx{s: s, r: r, body: body, params: params, header: w.Header()}
	s.mu.Lock()
	defer s.mu.Unlock()
	status, out := s.authenticate(c, rt.auth)
	if status == 0 {
		status, out = refusal(s.checkedOf(r, rt, body))
	}
	if status == 0 {
		if wait, limited := s.contentLimited(c, s.limitClock()); limited {
			status, out = s.secondaryRefusal(c, wait)
		}
	}
	if status == 0 && s.rateExhausted(c.inst) {
		status, out = errResp(http.StatusForbidden, "API rate limit exceeded for installation ID "+strconv.FormatInt(c.inst, 10)+".")
	}
	if status == 0 {
		status, out = rt.h(c)
	}
	s.finish(w, c, status, out)
}

// match finds the route for the method and escaped path.
func (s *Sim) match(method, escapedPath string) (*route, map[string]string) {
	parts := splitPath(escapedPath)
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.method != method {
			continue
		}
		if params, ok := matchSegs(rt.segs, parts); ok {
			return rt, params
		}
	}
	return nil, nil
}

func splitPath(escapedPath string) []string {
	raw := strings.Split(strings.Trim(escapedPath, "/"), "/")
	out := make([]string, len(raw))
	for i, p := range raw {
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		out[i] = p
	}
	return out
}

// matchSegs matches path segments against a pattern: "{x}" matches one
// segment, "{x...}" the (non-empty or empty) rest.
func matchSegs(pat, parts []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, p := range pat {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			params[p[1:len(p)-4]] = strings.Join(parts[min(i, len(parts)):], "/")
			return params, true
		}
		if i >= len(parts) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") {
			if parts[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = parts[i]
		} else if p != parts[i] {
			return nil, false
		}
	}
	return params, len(parts) == len(pat)
}

// finish writes the response with GitHub's headers: rate limits, request id,
// ETag and 304 for conditional GETs. Runs with s.mu held.
func (s *Sim) finish(w http.ResponseWriter, c *ctx, status int, out any) {
	if p, ok := out.(webPage); ok {
		p.write(w, status)
		return
	}
	var body []byte
	if out != nil {
		body, _ = json.Marshal(out)
	}
	h := w.Header()
	s.reqSeq++
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("SIM0:%04X:%06X", c.inst%0xffff, s.reqSeq))
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	notModified := false
	if c.r.Method == http.MethodGet && status == http.StatusOK {
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
		h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
		notModified = etagMatches(c.r.Header.Get("If-None-Match"), etag)
	}
	s.rateHeaders(h, c, !notModified)
	if notModified {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if body == nil {
		if status == http.StatusOK {
			status = http.StatusNoContent
		}
		w.WriteHeader(status)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

type rateWindow struct {
	start time.Time
	used  int
}

const rateLimit = 5000

// rateExhausted reports whether the installation has used its hourly quota
// (GitHub then answers 403 until X-RateLimit-Reset).
func (s *Sim) rateExhausted(inst int64) bool {
	key := inst
	if key == 0 {
		key = -1
	}
	w := s.rate[key]
	return w != nil && time.Since(w.start) < time.Hour && w.used >= rateLimit
}

// rateHeaders sets the X-RateLimit-* headers, counting the request against the
// installation's (or the App's) hourly quota when count is true.
func (s *Sim) rateHeaders(h http.Header, c *ctx, count bool) {
	if h.Get("X-RateLimit-Resource") == "search" {
		return // the search API's own limit (search.go)
	}
	key := c.inst
	if key == 0 {
		key = -1
	}
	now := time.Now()
	w := s.rate[key]
	if w == nil || now.Sub(w.start) >= time.Hour {
		w = &rateWindow{start: now}
		s.rate[key] = w
	}
	if count {
		w.used++
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(rateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(rateLimit-w.used, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(w.start.Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(w.used))
	h.Set("X-RateLimit-Resource", "core")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ghError(msg string) obj {
	return obj{"message": msg, "documentation_url": docsURL, "status": "404"}
}

func errResp(status int, msg string) (int, any) {
	return status, obj{"message": msg, "documentation_url": docsURL, "status": strconv.Itoa(status)}
}

func notFound() (int, any) { return errResp(http.StatusNotFound, "Not Found") }

// validation answers 422 Validation Failed with one error.
func validation(resource, field, code string) (int, any) {
	e := obj{"resource": resource, "code": code, "field": field}
	return http.StatusUnprocessableEntity, obj{
		"message": "Validation Failed", "errors": []any{e},
		"documentation_url": docsURL, "status": "422",
	}
}

// decode parses the request body as JSON into v.
func (c *ctx) decode(v any) bool {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return true
	}
	return json.Unmarshal(c.body, v) == nil
}

func badJSON() (int, any) { return errResp(http.StatusBadRequest, "Problems parsing JSON") }

// paginate returns the page of items asked by per_page/page and sets the Link header.
func (c *ctx) paginate(items []any) []any {
	q := c.r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	last := max((len(items)+per-1)/per, 1)
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf("<%s%s?%s>; rel=%q", c.s.url, c.r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(min(page-1, last), "prev"))
	}
	if len(links) > 0 {
		c.header.Set("Link", strings.Join(links, ", "))
	}
	lo := min((page-1)*per, len(items))
	hi := min(lo+per, len(items))
	return append([]any{}, items[lo:hi]...)
}
