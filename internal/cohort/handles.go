package cohort

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxHandleLen is GitHub's limit on the length of a login.
const maxHandleLen = 39

// ValidHandle reports whether s (without "@") is a well-formed GitHub login:
// ASCII letters, digits and single hyphens, not starting or ending with a
// hyphen, at most 39 characters. The error names the offending character, so a
// Cyrillic "а" pasted from a chat message is found rather than silently
// creating an issue assigned to nobody.
func ValidHandle(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("the handle is empty")
	case utf8.RuneCountInString(s) > maxHandleLen:
		return fmt.Errorf("%q is longer than %d characters, the most GitHub allows", clip(s, 60), maxHandleLen)
	}
	for i, r := range s {
		if r >= utf8.RuneSelf {
			return fmt.Errorf("%q contains %s, which is not an ASCII letter or digit", s, describeRune(r))
		}
		if !isAlnum(byte(r)) && r != '-' {
			return fmt.Errorf("%q contains %q; GitHub logins use only letters, digits and hyphens", s, r)
		}
		if r == '-' && i+1 < len(s) && s[i+1] == '-' {
			return fmt.Errorf("%q contains two hyphens in a row, which GitHub logins cannot", s)
		}
	}
	if s[0] == '-' || s[len(s)-1] == '-' {
		return fmt.Errorf("%q starts or ends with a hyphen, which GitHub logins cannot", s)
	}
	return nil
}

// NormalizeHandle trims s, strips one leading "@" and checks the rest with
// ValidHandle. Commands and the form both accept handles with or without "@".
// The case is kept as typed; compare handles with strings.EqualFold.
func NormalizeHandle(s string) (string, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "@")
	if err := ValidHandle(h); err != nil {
		return "", err
	}
	return h, nil
}

// describeRune names a non-ASCII character for a problem message, calling out
// letters from alphabets whose letters look like Latin ones.
func describeRune(r rune) string {
	code := fmt.Sprintf("%q (U+%04X)", r, r)
	for _, s := range []struct {
		name  string
		table *unicode.RangeTable
	}{{"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek}, {"Armenian", unicode.Armenian}} {
		if unicode.Is(s.table, r) {
			return "the " + s.name + " letter " + code + ", a look-alike of a Latin letter"
		}
	}
	if unicode.IsSpace(r) {
		return "the space character " + code
	}
	return "the character " + code
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// clip shortens s to at most n runes for quoting in a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// listLine is one non-blank entry of a Mentors or Mentees textarea.
type listLine struct {
	num    int    // 1-based line number within the field
	handle string // text before any pairing arrow, list marker removed
	mentor string // text after "->" or "→", "" when absent
	paired bool   // the line has an arrow
}

// splitList reads a handle list: one handle per line; blank lines and list
// markers ("- ", "* ", "+ ", "- [ ] ", "- [x] ") ignored; an optional pairing
// written "@mentee -> @mentor" or "@mentee → @mentor".
func splitList(value string) []listLine {
	var out []listLine
	for i, l := range strings.Split(value, "\n") {
		l = stripListMarker(strings.TrimSpace(l))
		if l == "" {
			continue
		}
		e := listLine{num: i + 1, handle: l}
		for _, arrow := range []string{"->", "→"} {
			if a, b, ok := strings.Cut(l, arrow); ok {
				e.handle, e.mentor, e.paired = strings.TrimSpace(a), strings.TrimSpace(b), true
				break
			}
		}
		out = append(out, e)
	}
	return out
}

// stripListMarker removes a Markdown bullet and task-list box from a line.
func stripListMarker(l string) string {
	for _, m := range []string{"- ", "* ", "+ "} {
		if strings.HasPrefix(l, m) {
			l = strings.TrimSpace(l[len(m):])
			break
		}
	}
	for _, box := range []string{"[ ]", "[x]", "[X]"} {
		if strings.HasPrefix(l, box) {
			return strings.TrimSpace(l[len(box):])
		}
	}
	if l == "-" || l == "*" || l == "+" {
		return ""
	}
	return l
}
