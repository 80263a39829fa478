package config

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// This file turns what can go wrong with a cohortbot.yml into RepoErrors that
// name the key and line, so the bot's comment tells the organizer what to fix.

// RepoError is one thing wrong with a cohortbot.yml, shown on the issue being
// handled. Key is the path of the key ("checkin.timezone", "tracks.chair",
// "organizers[2]"; "" for the whole file) and Line its 1-based line, 0 when
// unknown.
type RepoError struct {
	Key     string
	Line    int
	Message string
}

// Error formats the problem the way the bot's comment shows it.
func (e *RepoError) Error() string {
	where := e.Key
	if where == "" {
		where = "cohortbot.yml"
	}
	if e.Line > 0 {
		where += " (line " + strconv.Itoa(e.Line) + ")"
	}
	return where + ": " + e.Message
}

// RepoErrors is every problem of a file with more than one; errors.As finds
// the first *RepoError in it.
type RepoErrors []*RepoError

// Error lists the problems one per line.
func (es RepoErrors) Error() string {
	var l []string
	for _, e := range es {
		l = append(l, e.Error())
	}
	return strings.Join(l, "\n")
}

// Unwrap exposes each problem to errors.As and errors.Is.
func (es RepoErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlLine extracts the first "line N" of a yaml.v3 message, 0 when none.
func yamlLine(msg string) int {
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// stripYAMLPrefix drops "yaml: " and "line N: " from a message whose line
// RepoError reports separately.
func stripYAMLPrefix(msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if loc := yamlLineRE.FindStringIndex(msg); loc != nil && loc[0] == 0 {
		msg = strings.TrimPrefix(msg[loc[1]:], ": ")
	}
	return msg
}

// keyLines records the line of every key path in the document ("checkin.day",
// "organizers[1]"), so errors found after decoding can still name a line.
func keyLines(n *yaml.Node, prefix string, m map[string]int) map[string]int {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if prefix != "" {
				p = prefix + "." + p
			}
			m[p] = n.Content[i].Line
			keyLines(n.Content[i+1], p, m)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			m[p] = c.Line
			keyLines(c, p, m)
		}
	}
	return m
}

// keyAt returns the key path a yaml.v3 message that gives only a line is
// about: the deepest key on the line named name, or, when name is "", the
// shallowest key on the line (the value that failed to decode starts there).
func keyAt(lines map[string]int, line int, name string) string {
	best := ""
	for p, l := range lines {
		if l != line || name != "" && p[strings.LastIndexAny(p, ".]")+1:] != name {
			continue
		}
		better := len(p) < len(best)
		if name != "" {
			better = len(p) > len(best)
		}
		if best == "" || better || len(p) == len(best) && p < best {
			best = p
		}
	}
	return best
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return fmt.Sprintf("single value (%q)", n.Value)
	}
	return "YAML " + n.Tag
}

// maxDecodeErrors bounds the problems reported for one file: a pasted wrong
// file should give a readable comment, not hundreds of lines.
const maxDecodeErrors = 20

var (
	unknownFieldRE = regexp.MustCompile(`^line \d+: field (.+) not found in type \S+$`)
	cannotRE       = regexp.MustCompile("^line \\d+: cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
	wantNames      = map[string]string{"int": "a whole number", "string": "a string", "[]string": "a list of strings", "[]int": "a list of whole numbers"}
	gotNames       = map[string]string{"seq": "a list", "map": "a mapping"}
)

// decodeErrors turns yaml.v3's decoding messages into RepoErrors naming the key.
func decodeErrors(err error, lines map[string]int) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return &RepoError{Line: yamlLine(err.Error()), Message: stripYAMLPrefix(err.Error())}
	}
	var errs []*RepoError
	for _, msg := range te.Errors[:min(len(te.Errors), maxDecodeErrors)] {
		e := &RepoError{Line: yamlLine(msg), Message: msg[strings.Index(msg, ": ")+2:]}
		if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
			e.Key, e.Message = keyAt(lines, e.Line, m[1]), "unknown key (check its spelling and indentation)"
		} else if m := cannotRE.FindStringSubmatch(msg); m != nil {
			want, ok := wantNames[m[3]]
			if !ok {
				want = "a mapping of keys"
			}
			got, ok := gotNames[m[1]]
			if !ok {
				got = strconv.Quote(m[2])
			}
			e.Key, e.Message = keyAt(lines, e.Line, ""), "must be "+want+", not "+got
		}
		errs = append(errs, e)
	}
	return joinErrors(errs)
}

// joinErrors returns the single error itself, so errors.As callers and the
// comment see one *RepoError rather than a list of one.
func joinErrors(errs []*RepoError) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return RepoErrors(errs)
}

// sortErrors orders problems as they appear in the file, so the comment reads
// top to bottom.
func sortErrors(errs []*RepoError) {
	slices.SortFunc(errs, func(a, b *RepoError) int { return cmp.Or(a.Line-b.Line, strings.Compare(a.Key, b.Key)) })
}

// adder returns a function appending a RepoError for a key to *errs.
func adder(errs *[]*RepoError, lines map[string]int) func(key, format string, args ...any) {
	return func(key, format string, args ...any) {
		*errs = append(*errs, &RepoError{Key: key, Line: lines[key], Message: fmt.Sprintf(format, args...)})
	}
}
