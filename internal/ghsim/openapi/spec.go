// Package openapi holds a trimmed copy of GitHub's official REST description
// (api.github.com.json from the npm package @octokit/openapi; the version is
// in VERSION, gen.sh regenerates it) and checks a request against it: the
// method and path must name an operation, the query parameters must be the
// operation's, and a JSON body must satisfy the operation's request-body
// schema. The simulated GitHub runs every request through Check so that a
// test fails when the bot sends what GitHub would refuse.
package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed api.github.com.json
var description []byte

//go:embed VERSION
var version string

// Version names the description the trimmed copy was cut from.
func Version() string { return strings.TrimSpace(version) }

// Spec is the loaded description, ready to check requests.
type Spec struct {
	doc *openapi3.T
	ops []*Operation
}

// Operation is one method + path template of the description.
type Operation struct {
	Method, Path string // e.g. "POST", "/repos/{owner}/{repo}/issues"
	ID           string // operationId, e.g. "issues/create"
	segs         []string
	op           *openapi3.Operation
	params       openapi3.Parameters // path-level and operation-level
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// Load parses the embedded description once; every caller shares it (it is
// read-only after loading).
func Load() (*Spec, error) {
	loadOnce.Do(func() { loaded, loadErr = parse(description) })
	return loaded, loadErr
}

func parse(data []byte) (*Spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: loading the description: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: the description is invalid: %w", err)
	}
	s := &Spec{doc: doc}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := append(openapi3.Parameters{}, item.Parameters...)
			s.ops = append(s.ops, &Operation{
				Method: method, Path: path, ID: op.OperationID,
				segs: strings.Split(strings.Trim(path, "/"), "/"), op: op, params: append(params, op.Parameters...),
			})
		}
	}
	sort.Slice(s.ops, func(i, j int) bool {
		return s.ops[i].Path+" "+s.ops[i].Method < s.ops[j].Path+" "+s.ops[j].Method
	})
	return s, nil
}

// Operations lists the operations of the description, sorted by path.
func (s *Spec) Operations() []*Operation { return append([]*Operation(nil), s.ops...) }

// Result is what Check found. Status 0 means GitHub would serve the request
// (Problems may still list what GitHub silently ignores, such as an unknown
// query parameter); otherwise it is the status GitHub answers with and
// Message its message.
type Result struct {
	Op       *Operation
	Status   int
	Message  string
	Problems []string
}

// OK reports whether the request matches the description in every respect.
func (r Result) OK() bool { return r.Status == 0 && len(r.Problems) == 0 }

func (r *Result) refuse(status int, msg, problem string) {
	if r.Status == 0 {
		r.Status, r.Message = status, msg
	}
	r.Problems = append(r.Problems, problem)
}

// Check checks one request: its method, escaped path (URL.EscapedPath),
// raw query and body.
func (s *Spec) Check(method, escapedPath, rawQuery string, body []byte) Result {
	op, pathVals := s.match(method, escapedPath)
	if op == nil {
		var r Result
		r.refuse(http.StatusNotFound, "Not Found", "no operation "+method+" "+escapedPath+" in GitHub's REST description")
		return r
	}
	r := Result{Op: op}
	op.checkPath(&r, pathVals)
	op.checkQuery(&r, rawQuery)
	op.checkBody(&r, body)
	return r
}

// match finds the operation for a request; a literal segment beats a
// parameter (…/issues/comments/{id} over …/issues/{number}/…). A last
// {path} (contents) or {name} (labels) takes the rest of the path, slashes
// included: GitHub serves …/labels/sig/cli as the label "sig/cli"
// (checked against the API in https://github.com/octokit/octokit.rb/pull/897),
// and go-github does not escape the slash.
func (s *Spec) match(method, escapedPath string) (*Operation, map[string]string) {
	parts := strings.Split(strings.Trim(escapedPath, "/"), "/")
	var best *Operation
	var bestVals map[string]string
	bestScore := -1
	for _, op := range s.ops {
		if op.Method != method {
			continue
		}
		vals, score, ok := matchSegs(op.segs, parts)
		if ok && score > bestScore {
			best, bestVals, bestScore = op, vals, score
		}
	}
	return best, bestVals
}

func matchSegs(pat, parts []string) (map[string]string, int, bool) {
	vals := map[string]string{}
	score := 0
	for i, p := range pat {
		if i >= len(parts) || parts[i] == "" {
			return nil, 0, false
		}
		if !strings.HasPrefix(p, "{") {
			if p != parts[i] {
				return nil, 0, false
			}
			score++
			continue
		}
		name := p[1 : len(p)-1]
		if (name == "path" || name == "name") && i == len(pat)-1 {
			rest, err := url.PathUnescape(strings.Join(parts[i:], "/"))
			if err != nil {
				return nil, 0, false
			}
			vals[name] = rest
			return vals, score, true
		}
		v, err := url.PathUnescape(parts[i])
		if err != nil {
			return nil, 0, false
		}
		vals[name] = v
	}
	return vals, score, len(parts) == len(pat)
}

// checkPath validates path parameters against their schemas; GitHub answers
// 404 when one does not parse (e.g. /issues/abc).
func (op *Operation) checkPath(r *Result, vals map[string]string) {
	for _, p := range op.params {
		if p.Value == nil || p.Value.In != openapi3.ParameterInPath {
			continue
		}
		if err := validateScalar(p.Value, vals[p.Value.Name]); err != nil {
			r.refuse(http.StatusNotFound, "Not Found", fmt.Sprintf("path parameter %s=%q: %v", p.Value.Name, vals[p.Value.Name], err))
		}
	}
}

// checkQuery reports query parameters the operation does not define, and
// values its schema refuses. GitHub ignores an unknown parameter, so this
// never refuses the request: it is a mistake of the caller all the same.
func (op *Operation) checkQuery(r *Result, rawQuery string) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("query %q: %v", rawQuery, err))
		return
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := op.params.GetByInAndName(openapi3.ParameterInQuery, name)
		if p == nil {
			r.Problems = append(r.Problems, fmt.Sprintf("query parameter %q is not a parameter of %s", name, op.ID))
			continue
		}
		for _, v := range q[name] {
			if err := validateScalar(p, v); err != nil {
				r.Problems = append(r.Problems, fmt.Sprintf("query parameter %s=%q: %v", name, v, err))
			}
		}
	}
}

// validateScalar checks a path or query value, converted to the schema's type.
func validateScalar(p *openapi3.Parameter, raw string) error {
	if p.Schema == nil || p.Schema.Value == nil {
		return nil
	}
	sch := p.Schema.Value
	var v any = raw
	switch {
	case sch.Type.Is("integer"), sch.Type.Is("number"):
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("not a number")
		}
		v = n
	case sch.Type.Is("boolean"):
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not a boolean")
		}
		v = b
	}
	return shortErr(sch.VisitJSON(v))
}

// checkBody validates the JSON body. GitHub answers 400 "Problems parsing
// JSON" to a body that is not JSON, and 422 "Invalid request." to one its
// schema refuses.
//
// A body of JSON null counts as no body: GitHub reads it as no parameters,
// and ghinstallation sends it when creating an installation token without
// options (every App built on go-githubapp does, every hour).
func (op *Operation) checkBody(r *Result, body []byte) {
	trimmed := bytes.TrimSpace(body)
	empty := len(trimmed) == 0 || string(trimmed) == "null"
	rb := op.op.RequestBody
	if rb == nil || rb.Value == nil {
		if !empty {
			r.Problems = append(r.Problems, op.ID+" takes no request body")
		}
		return
	}
	if empty {
		if rb.Value.Required {
			r.refuse(http.StatusUnprocessableEntity, "Invalid request.\n\nNo body.", op.ID+" needs a request body")
		}
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		r.refuse(http.StatusBadRequest, "Problems parsing JSON", "request body is not JSON: "+err.Error())
		return
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return
	}
	if allowedExtra(op, v) {
		return
	}
	if err := shortErr(mt.Schema.Value.VisitJSON(v, openapi3.VisitAsRequest())); err != nil {
		r.refuse(http.StatusUnprocessableEntity, "Invalid request.\n\n"+err.Error(), op.ID+" request body: "+err.Error())
	}
}

// allowedExtra accepts what GitHub documents in prose beyond the schema.
// "Add labels to an issue" and "Set labels for an issue": "You can also pass
// an array of labels directly" (https://docs.github.com/rest/issues/labels#add-labels-to-an-issue),
// which the schema no longer lists; go-github sends that array.
func allowedExtra(op *Operation, v any) bool {
	if op.ID != "issues/add-labels" && op.ID != "issues/set-labels" {
		return false
	}
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

// shortErr keeps a schema error to its reason and the JSON pointer of the
// offending value, without the schema dump kin-openapi appends.
func shortErr(err error) error {
	if err == nil {
		return nil
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		ptr := "/" + strings.Join(se.JSONPointer(), "/")
		return fmt.Errorf("at %s: %s", ptr, se.Reason)
	}
	msg, _, _ := strings.Cut(err.Error(), "\nSchema:")
	return errors.New(msg)
}
