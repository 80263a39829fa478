// Package templates renders every text cohortbot writes to GitHub (issue
// bodies and comments) from embedded text/template files; beside them lies
// the new-cohort issue form (issue-forms/new-cohort.yml) that organizers copy
// into their repository. Rendering is a pure function of its data, so golden
// files show exactly what users will see.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"unicode/utf8"
)

//go:embed *.md.tmpl
var files embed.FS

var tmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"cell":        Cell,
	"text":        Text,
	"join":        strings.Join,
	"handles":     Handles,
	"add":         func(a, b int) int { return a + b },
	"region":      Region,
	"rate":        rate,
	"sub":         func(a, b int) int { return a - b },
	"quoted":      Quoted,
	"outcome":     func(o string) string { return strings.ReplaceAll(o, "-", " ") },
	"ref":         Ref,
	"anyProgress": anyProgress,
	"progress": func(p map[string]string, h string) string {
		if v, ok := p[strings.ToLower(h)]; ok {
			return v
		}
		return "—"
	},
}).ParseFS(files, "*.md.tmpl"))

func render(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

// maxCell is the longest user text shown in one table cell.
const maxCell = 200

// Cell makes user-written text safe for one Markdown table cell: pipes
// escaped, newlines folded, HTML neutralised, @mentions defused (no
// notification storms) and the text cut to a sane length.
func Cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxCell {
		s = string([]rune(s)[:maxCell-1]) + "…"
	}
	s = escapeHTML(s)
	s = strings.ReplaceAll(s, "|", `\|`)
	return defuse(s)
}

// Text makes user-written multi-line text safe to quote in a body: HTML
// neutralised and @mentions defused, line breaks kept, length capped.
func Text(s string) string {
	const max = 5000
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return defuse(escapeHTML(strings.ReplaceAll(s, "\r\n", "\n")))
}

// Quoted makes user-written multi-line text safe as the rest of a blockquote
// whose first "> " the template writes: Text, then every later line prefixed
// too, so an unclosed code fence or a stray heading stays inside the quote
// instead of swallowing the rest of the body.
func Quoted(s string) string {
	lines := strings.Split(strings.TrimSpace(Text(s)), "\n")
	for i, l := range lines {
		switch l = strings.TrimRight(l, " \t"); {
		case i == 0:
			lines[i] = l
		case l == "":
			lines[i] = ">"
		default:
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// escapeHTML neutralises tags and entities; quotes need no escaping in
// Markdown text and stay readable.
var escapeHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// defuse puts a word joiner (U+2060, invisible) after every @ outside code
// spans so GitHub renders the text but notifies nobody. Inside a code span an
// @ mentions nobody already, and an invisible character there would be
// copied along with a command or handle a reader copies.
func defuse(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	text := func(t string) { b.WriteString(strings.ReplaceAll(t, "@", "@\u2060")) }
	for len(s) > 0 {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i:]
		if escaped(b.String()) {
			// \` is a literal backtick: it opens no code span.
			b.WriteByte('`')
			s = s[1:]
			continue
		}
		if code, rest, ok := codeSpan(s); ok {
			b.WriteString(code)
			s = rest
			continue
		}
		// An unclosed run of backticks is text as a whole: no shorter run
		// starts inside it.
		n := len(s) - len(strings.TrimLeft(s, "`"))
		b.WriteString(s[:n])
		s = s[n:]
	}
	return b.String()
}

// escaped reports whether the text written so far ends in an odd number of
// backslashes, which escape the character that follows.
func escaped(before string) bool {
	n := len(before) - len(strings.TrimRight(before, `\`))
	return n%2 == 1
}

// codeSpan reports whether s starts with a code span as CommonMark reads
// one — a run of n backticks closed by the next run of exactly n — and
// returns the span and what follows it. An unclosed run is plain text. Only
// spans within one line count: one that crosses a line may also cross a
// paragraph break, where it is no code span, so its text is defused.
func codeSpan(s string) (span, rest string, ok bool) {
	n := len(s) - len(strings.TrimLeft(s, "`"))
	if n == 0 {
		return "", s, false
	}
	if nl := strings.IndexByte(s, '\n'); nl >= 0 {
		if span, _, ok := codeSpan(s[:nl]); ok {
			return span, s[len(span):], true
		}
		return "", s, false
	}
	for i := n; i < len(s); {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			break
		}
		start := i + j
		end := start + len(s[start:]) - len(strings.TrimLeft(s[start:], "`"))
		if end-start == n {
			return s[:end], s[end:], true
		}
		i = end
	}
	return "", s, false
}

// Handles formats handles as "@a, @b".
func Handles(hs []string) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = "@" + h
	}
	return strings.Join(out, ", ")
}

// Region markers delimit the bot-owned parts of an issue body; text outside
// them (what humans wrote or ticked) is preserved on every re-render.
func regionBegin(name string) string { return "<!-- cohortbot:begin " + name + " -->" }
func regionEnd(name string) string   { return "<!-- cohortbot:end " + name + " -->" }

// Region wraps content in the markers of region name.
func Region(name, content string) string {
	return regionBegin(name) + "\n" + strings.TrimSpace(content) + "\n" + regionEnd(name)
}

// ReplaceRegion swaps the content of region name in body. It reports false
// when the body has no such region (a human deleted it), and then leaves the
// body unchanged. A body saved from GitHub's web editor has CRLF line endings;
// the new region gets them too, so the body stays consistent.
func ReplaceRegion(body, name, content string) (string, bool) {
	b, e := regionBegin(name), regionEnd(name)
	i := strings.Index(body, b)
	if i < 0 {
		return body, false
	}
	j := strings.Index(body[i:], e)
	if j < 0 {
		return body, false
	}
	r := Region(name, strings.ReplaceAll(content, "\r\n", "\n"))
	if strings.Contains(body, "\r\n") {
		r = strings.ReplaceAll(r, "\n", "\r\n")
	}
	return body[:i] + r + body[i+j+len(e):], true
}

// StripRegion removes stray markers of region name (a begin without its end,
// or the reverse), so a region appended afresh is not paired with an orphan
// marker that would swallow the human text between them.
func StripRegion(body, name string) string {
	body = strings.ReplaceAll(body, regionBegin(name), "")
	return strings.ReplaceAll(body, regionEnd(name), "")
}

// regionSpan is one bot-owned region found in a body.
type regionSpan struct {
	name       string
	start, end int // body[start:end] is the whole region, markers included
	content    string
}

// regionsIn lists the well-formed regions of body, in order.
func regionsIn(body string) []regionSpan {
	const open = "<!-- cohortbot:begin "
	var out []regionSpan
	for at := 0; ; {
		i := strings.Index(body[at:], open)
		if i < 0 {
			return out
		}
		i += at
		rest := body[i+len(open):]
		name, _, ok := strings.Cut(rest, " -->")
		if !ok || name == "" || strings.ContainsAny(name, " \n") {
			at = i + len(open)
			continue
		}
		b, e := regionBegin(name), regionEnd(name)
		j := strings.Index(body[i+len(b):], e)
		if j < 0 {
			at = i + len(b)
			continue
		}
		end := i + len(b) + j + len(e)
		out = append(out, regionSpan{name: name, start: i, end: end,
			content: strings.TrimSpace(strings.ReplaceAll(body[i+len(b):i+len(b)+j], "\r\n", "\n"))})
		at = end
	}
}

// Outside is body without the contents of its bot-owned regions (the
// markers stay) and with LF line endings: what humans wrote, for comparing
// two versions of an issue regardless of what the bot rendered in them.
func Outside(body string) string {
	var b strings.Builder
	last := 0
	for _, r := range regionsIn(body) {
		b.WriteString(body[last:r.start])
		b.WriteString(regionBegin(r.name) + regionEnd(r.name))
		last = r.end
	}
	b.WriteString(body[last:])
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

// CopyRegions writes the bot-owned regions of from into into: into's human
// text with from's rendered boards. A region into lacks is appended.
func CopyRegions(from, into string) string {
	for _, r := range regionsIn(from) {
		var ok bool
		if into, ok = ReplaceRegion(into, r.name, r.content); !ok {
			into = strings.TrimRight(StripRegion(into, r.name), "\r\n") + "\n\n" + Region(r.name, r.content) + "\n"
		}
	}
	return into
}
