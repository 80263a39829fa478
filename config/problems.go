package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problems is every problem found in the server configuration, collected in
// one pass so an operator fixes them all before the next start rather than
// one per restart. Each names the key or variable and what to do.
type Problems []string

// Error is the one problem, or a count and a list, one per line.
func (p Problems) Error() string {
	if len(p) == 1 {
		return p[0]
	}
	return fmt.Sprintf("%d problems in the configuration:\n  - %s", len(p), strings.Join(p, "\n  - "))
}

// Err is nil when there is no problem.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// JoinProblems merges the problems of several checks (each nil, Problems or
// another error) into one error, nil when there is none.
func JoinProblems(errs ...error) error {
	var all Problems
	for _, err := range errs {
		var ps Problems
		switch {
		case err == nil:
		case errors.As(err, &ps):
			all = append(all, ps...)
		default:
			all = append(all, err.Error())
		}
	}
	return all.Err()
}

// serverYAMLLineRE matches one of yaml.v3's type errors: "line 3: field adress
// not found in type config.Server", "line 4: cannot unmarshal …".
var (
	serverYAMLLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownRE    = regexp.MustCompile(`^field (\S+) not found in type config\.(\w+)$`)
	yamlUnmarshal    = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")
)

// fileProblems turns a decoding error of the config file at path into
// problems in the operator's words: the key, the line, the fix.
func fileProblems(path string, err error) Problems {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		// A syntax error: yaml.v3 says "yaml: line 3: …".
		return Problems{fmt.Sprintf("config file %s is not valid YAML: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	var out Problems
	for _, e := range te.Errors {
		m := serverYAMLLineRE.FindStringSubmatch(e)
		if m == nil {
			out = append(out, fmt.Sprintf("config file %s: %s", path, e))
			continue
		}
		line, msg := m[1], m[2]
		if u := yamlUnknownRE.FindStringSubmatch(msg); u != nil {
			out = append(out, unknownKey(path, line, u[1], u[2]))
			continue
		}
		if u := yamlUnmarshal.FindStringSubmatch(msg); u != nil {
			msg = fmt.Sprintf("%q is not a %s", u[2], goTypeWords(u[3]))
		}
		out = append(out, fmt.Sprintf("line %s of %s: %s", line, path, msg))
	}
	return out
}

// goTypeWords names a Go type as the operator knows it.
func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "whole number"
	case t == "string":
		return "text value (quote it)"
	case strings.HasPrefix(t, "config."):
		return "section of keys (key: value lines, indented)"
	}
	return t
}

// sections maps the Go type yaml.v3 names in an unknown-field error to the
// key path of its section and its keys.
var sections = map[string]struct {
	prefix string
	typ    reflect.Type
}{
	"Server": {"", reflect.TypeOf(Server{})},
	"Limits": {"limits.", reflect.TypeOf(Limits{})},
	"GitHub": {"github.", reflect.TypeOf(GitHub{})},
	"App":    {"github.app.", reflect.TypeOf(App{})},
}

func unknownKey(path, line, key, typ string) string {
	sec := sections[typ]
	msg := fmt.Sprintf("unknown key %s%s at line %s of %s", sec.prefix, key, line, path)
	if sec.typ == nil {
		return msg
	}
	var keys []string
	for i := 0; i < sec.typ.NumField(); i++ {
		keys = append(keys, strings.Split(sec.typ.Field(i).Tag.Get("yaml"), ",")[0])
	}
	if best := closest(key, keys); best != "" {
		return msg + "; did you mean " + sec.prefix + best + "?"
	}
	return msg + "; the keys there are " + strings.Join(keys, ", ") + " (see config/cohortbot.example.yml)"
}

// closest is the key within a typo's reach of word (edit distance at most a
// third of its length, and at least 2), or "".
func closest(word string, keys []string) string {
	best, bestD := "", max(2, len(word)/3)+1
	for _, k := range keys {
		if d := editDistance(strings.ToLower(word), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// lineOf is the "line N" of a YAML node, for messages.
func lineOf(n *yaml.Node) string { return strconv.Itoa(n.Line) }
