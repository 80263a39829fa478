package cohort

import "strings"

// mdLine is one line of a comment as the command and check-in parsers see it.
type mdLine struct {
	num     int    // 1-based line number
	visible string // the text with HTML comments removed
	code    bool   // inside a fenced code block, or a fence line itself
}

// scanMarkdown splits a comment into lines, tracking fenced code blocks
// (``` or ~~~, closed by a fence of the same character at least as long)
// and HTML comments (<!-- … -->, possibly spanning lines). Inside a fence a
// "<!--" is code, and inside a comment a fence is hidden, as GitHub renders
// them. CRLF is read as LF.
func scanMarkdown(body string) []mdLine {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	out := make([]mdLine, len(lines))
	fence := "" // the opening fence while inside a code block
	inComment := false
	for i, l := range lines {
		ml := mdLine{num: i + 1}
		switch {
		case fence != "":
			ml.code, ml.visible = true, l
			if closesFence(l, fence) {
				fence = ""
			}
		default:
			ml.visible, inComment = stripComments(l, inComment)
			if f := openingFence(ml.visible); f != "" {
				// A "<!--" after the fence is its info string, not a comment.
				fence, ml.code, inComment = f, true, false
			}
		}
		out[i] = ml
	}
	return out
}

// stripComments removes HTML comments from a line. inComment says whether
// the line starts inside one; the result says whether it ends inside one.
func stripComments(l string, inComment bool) (string, bool) {
	var b strings.Builder
	for l != "" {
		if inComment {
			i := strings.Index(l, "-->")
			if i < 0 {
				return b.String(), true
			}
			l, inComment = l[i+3:], false
			continue
		}
		i := strings.Index(l, "<!--")
		if i < 0 {
			b.WriteString(l)
			break
		}
		b.WriteString(l[:i])
		l, inComment = l[i+4:], true
	}
	return b.String(), inComment
}

// openingFence returns the fence ("```", "~~~~", …) a line opens, or "".
// A backtick fence's info string may not contain a backtick (CommonMark).
func openingFence(l string) string {
	t := strings.TrimLeft(l, " ")
	if len(l)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return ""
	}
	n := len(t) - len(strings.TrimLeft(t, t[:1]))
	if n < 3 || t[0] == '`' && strings.Contains(t[n:], "`") {
		return ""
	}
	return t[:n]
}

// closesFence reports whether l closes a block opened by fence.
func closesFence(l, fence string) bool {
	t := strings.TrimLeft(l, " ")
	if len(l)-len(t) > 3 {
		return false
	}
	n := len(t) - len(strings.TrimLeft(t, fence[:1]))
	return n >= len(fence) && strings.TrimSpace(t[n:]) == ""
}

// commandToken returns the command word of a line ("checkin" for
// "/checkin @a", "checkin:" for "/checkin: …") and the rest of the line, when
// the line is a command: "/" after fewer than four spaces, then a letter.
// Block quotes, indented code, fenced code and comments never are.
func commandToken(ml mdLine) (token, rest string, ok bool) {
	if ml.code {
		return "", "", false
	}
	t := strings.TrimLeft(ml.visible, " ")
	if len(ml.visible)-len(t) > 3 || len(t) < 2 || t[0] != '/' || !isLetter(t[1]) {
		return "", "", false
	}
	end := strings.IndexAny(t, " \t")
	if end < 0 {
		end = len(t)
	}
	return t[1:end], t[end:], true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
