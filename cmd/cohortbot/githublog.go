package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/palantir/go-githubapp/githubapp"
)

// githubLog sits outermost on every GitHub client of `receive` and `tick`:
// it notes each write sent and its answer, for the summary, and in a dry
// run answers writes itself. Reads always go through (a dry run shows what
// would be done with GitHub as it is); the App's token requests do not pass
// here (go-githubapp fetches them below the middleware).
type githubLog struct {
	dry bool
	out io.Writer // where a dry run prints each write

	mu     sync.Mutex
	writes []write
	reads  int
	nextID atomic.Int64
}

// write is one write request and what came of it.
type write struct {
	Method, Path string
	Status       int    // 0 when no answer came
	Err          string // the transport's error or GitHub's message
}

func (w write) String() string {
	switch {
	case w.Err != "" && w.Status != 0:
		return fmt.Sprintf("%s %s: %d %s", w.Method, w.Path, w.Status, w.Err)
	case w.Err != "":
		return fmt.Sprintf("%s %s: %s", w.Method, w.Path, w.Err)
	}
	return fmt.Sprintf("%s %s: %d", w.Method, w.Path, w.Status)
}

func (w write) failed() bool { return w.Err != "" || w.Status >= 300 }

func (g *githubLog) middleware() githubapp.ClientMiddleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripper(func(r *http.Request) (*http.Response, error) {
			body, err := readBody(r)
			if err != nil {
				return nil, err
			}
			if !isWrite(r, body) {
				g.mu.Lock()
				g.reads++
				g.mu.Unlock()
				return next.RoundTrip(r)
			}
			if g.dry {
				return g.answer(r, body), nil
			}
			resp, err := next.RoundTrip(r)
			g.note(r, resp, err)
			return resp, err
		})
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// readBody reads a request's body and puts it back for the transport.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

// isWrite: every method but GET and HEAD, except a GraphQL query (a POST
// that reads); a GraphQL mutation writes.
func isWrite(r *http.Request, body []byte) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	if strings.HasSuffix(r.URL.Path, "/graphql") {
		var q struct{ Query string }
		_ = json.Unmarshal(body, &q)
		return strings.HasPrefix(strings.TrimSpace(q.Query), "mutation")
	}
	return true
}

func (g *githubLog) note(r *http.Request, resp *http.Response, err error) {
	w := write{Method: r.Method, Path: r.URL.Path}
	switch {
	case err != nil:
		w.Err = err.Error()
	default:
		w.Status = resp.StatusCode
		if resp.StatusCode >= 300 {
			w.Err = githubMessage(resp)
		}
	}
	g.mu.Lock()
	g.writes = append(g.writes, w)
	g.mu.Unlock()
}

// githubMessage is GitHub's reason for an error answer ("Validation
// Failed (already_exists)"), the answer's body left for the client to read.
func githubMessage(resp *http.Response) string {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), resp.Body))
	var e struct {
		Message string
		Errors  []struct{ Code, Field string }
	}
	if json.Unmarshal(b, &e) != nil || e.Message == "" {
		return http.StatusText(resp.StatusCode)
	}
	var codes []string
	for _, x := range e.Errors {
		codes = append(codes, strings.TrimSpace(x.Field+" "+x.Code))
	}
	if len(codes) > 0 {
		return e.Message + " (" + strings.Join(codes, ", ") + ")"
	}
	return e.Message
}

// summary is what was sent, one line, then each write GitHub refused:
// failures when the handler failed, and otherwise answers it expects and
// goes past (a label that already exists).
func (g *githubLog) summary(handled bool) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	verb := "sent"
	if g.dry {
		verb = "printed, none sent (dry run)"
	}
	var failed []string
	for _, w := range g.writes {
		if w.failed() {
			failed = append(failed, w.String())
		}
	}
	s := fmt.Sprintf("GitHub: %s %s, %s read", plural(len(g.writes), "write", "writes"), verb, plural(g.reads, "request", "requests"))
	switch {
	case len(failed) > 0 && handled:
		s += fmt.Sprintf("; %s refused, as the handler allows (it went on):\n  %s",
			plural(len(failed), "write", "writes"), strings.Join(failed, "\n  "))
	case len(failed) > 0:
		s += fmt.Sprintf("; %d failed:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return s
}

// plural is "1 cohort" or "2 cohorts".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// answer prints a write a dry run does not send and answers it as GitHub
// would, plausibly enough for the flow to go on: the request's fields
// echoed, with an id (and a number for an issue) it made up.
func (g *githubLog) answer(r *http.Request, body []byte) *http.Response {
	text := fmt.Sprintf("would send: %s %s\n", r.Method, r.URL.Path)
	var pretty bytes.Buffer
	if len(body) > 0 && json.Indent(&pretty, bytes.TrimSpace(body), "  ", "  ") == nil {
		text += "  " + pretty.String() + "\n"
	}
	status := http.StatusOK
	switch r.Method {
	case http.MethodPost:
		status = http.StatusCreated
	case http.MethodDelete:
		status = http.StatusNoContent
	}
	g.mu.Lock()
	io.WriteString(g.out, text) // whole, though tick's workers write at once
	g.writes = append(g.writes, write{Method: r.Method, Path: r.URL.Path, Status: status})
	g.mu.Unlock()
	var out []byte
	if status != http.StatusNoContent {
		out, _ = json.Marshal(g.synthesize(r.URL.Path, body))
	}
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   io.NopCloser(bytes.NewReader(out)), ContentLength: int64(len(out)),
		Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
}

var issuePathRE = regexp.MustCompile(`/(?:issues|pulls)/(\d+)(?:/|$)`)

// synthesize is the made-up answer to a write of body to path.
func (g *githubLog) synthesize(path string, body []byte) any {
	var list []string
	if json.Unmarshal(body, &list) == nil { // adding labels: the labels
		return named(list, "name")
	}
	obj := map[string]any{}
	_ = json.Unmarshal(body, &obj)
	id := 900000000 + g.nextID.Add(1)
	obj["id"] = id
	if m := issuePathRE.FindStringSubmatch(path); m != nil && !strings.Contains(path, "/comments") {
		obj["number"], _ = strconv.Atoi(m[1])
	} else if strings.HasSuffix(path, "/issues") {
		obj["number"] = id
	}
	for key, field := range map[string]string{"labels": "name", "assignees": "login", "reviewers": "login"} {
		if names, ok := obj[key].([]any); ok {
			var ss []string
			for _, n := range names {
				if s, ok := n.(string); ok {
					ss = append(ss, s)
				}
			}
			obj[key] = named(ss, field)
		}
	}
	if _, ok := obj["state"]; !ok && obj["number"] != nil {
		obj["state"] = "open"
	}
	return obj
}

// named turns ["a", "b"] into [{"name": "a"}, {"name": "b"}].
func named(names []string, field string) []map[string]string {
	out := []map[string]string{}
	for _, n := range names {
		out = append(out, map[string]string{field: n})
	}
	return out
}
