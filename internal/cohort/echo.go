package cohort

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxEcho is how much of a user's text a bot reply repeats (SPEC §5): enough
// to recognise a refused argument or a quoted line, too little to carry a
// payload.
const MaxEcho = 100

// Echo renders user text for a bot reply so that it mentions nobody and
// cannot change the Markdown around it: cut at MaxEcho characters, on one
// line, inside an inline code span whose backtick fence is longer than any
// backtick run in the text (CommonMark §6.1), so a text that opens a fence
// (```) or holds backticks stays inside its span. GitHub never turns
// "@name" inside code into a mention, and the text keeps its own
// characters: no invisible joiner is added inside the span.
func Echo(s string) string {
	s = Clip(s, MaxEcho)
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if strings.TrimSpace(s) == "" {
		return "(blank)"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ') {
		// One space each side is stripped again by the renderer; without it
		// the text's own backticks would join the fence.
		s = " " + s + " "
	}
	return fence + s + fence
}

// Clip cuts s to at most n characters, marking a cut with "…". It never
// splits a character.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// mentionRE is GitHub's mention: "@" after the start or a non-word
// character, then a handle, or org/team.
var mentionRE = regexp.MustCompile("(?:^|[^A-Za-z0-9_])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:/[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?)")

// Mentions lists the handles (lower-case; "org/team" for team mentions) a
// Markdown text would notify on GitHub: an @handle outside fenced and
// indented code blocks and inline code spans. It errs on the side of
// finding a mention (HTML and links are read as text), which is the safe
// side for checking a reply before it is posted.
func Mentions(md string) []string {
	var out []string
	seen := map[string]bool{}
	for _, ml := range scanMarkdown(md) {
		if ml.code || isIndentedCode(ml.visible) {
			continue
		}
		text := entityAt.Replace(stripCodeSpans(ml.visible))
		for _, m := range mentionRE.FindAllStringSubmatch(text, -1) {
			h := strings.ToLower(m[1])
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	return out
}

// entityAt decodes the HTML entities of "@": GitHub finds mentions in the
// rendered text, where they are plain "@" again.
var entityAt = strings.NewReplacer("&#64;", "@", "&#x40;", "@", "&#X40;", "@", "&commat;", "@")

// isIndentedCode reports an indented code line (four spaces or a tab). The
// lazy-continuation cases CommonMark adds are ignored: reading such a line as
// text only finds more mentions.
func isIndentedCode(l string) bool {
	return strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t")
}

// stripCodeSpans blanks the inline code spans of a line: a backtick run
// opens a span closed by the next run of the same length (CommonMark §6.1);
// a run never closed is literal text. Spans spanning lines are not joined:
// each line is read alone, which again only finds more mentions.
func stripCodeSpans(l string) string {
	var b strings.Builder
	i := 0
	for i < len(l) {
		if l[i] == '\\' && i+1 < len(l) {
			// An escaped backtick is text, and cannot open a span.
			b.WriteString(l[i : i+2])
			i += 2
			continue
		}
		if l[i] != '`' {
			b.WriteByte(l[i])
			i++
			continue
		}
		n := runAt(l, i)
		end := closingRun(l, i+n, n)
		if end < 0 {
			b.WriteString(l[i : i+n])
			i += n
			continue
		}
		b.WriteString(" ") // the span is no mention, and separates words
		i = end + n
	}
	return b.String()
}

func runAt(l string, i int) int {
	n := 0
	for i+n < len(l) && l[i+n] == '`' {
		n++
	}
	return n
}

// closingRun finds the next backtick run of exactly n from i, or -1.
func closingRun(l string, i, n int) int {
	for i < len(l) {
		if l[i] != '`' {
			i++
			continue
		}
		m := runAt(l, i)
		if m == n {
			return i
		}
		i += m
	}
	return -1
}
