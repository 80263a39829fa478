package cohort

import (
	"strings"
)

// ParseCheckin reads the status-update sections of a check-in comment
// (SPEC §3). A section starts at a line "Name:" (text may follow on the same
// line; "**Name:**", "**Name**:" and a leading "- " are accepted too, as
// people paste them from chat) or at a Markdown heading "## Name" of any level,
// with Name one of required or optional, case-insensitively. It runs to the
// next section or the end of the comment. Command lines (the "/checkin" line
// itself) and HTML comments (the template's hints) are not section text; a
// code block stays in the text as written, and a "Name:" line inside it is
// text, not a new section.
//
// sections maps each configured name (spelled as configured) that has text to
// its trimmed text; a section present twice has both texts, joined by a blank
// line. missing lists, in the order given, the required sections that are
// absent or empty — the reply to the mentee names exactly these.
func ParseCheckin(body string, required, optional []string) (sections map[string]string, missing []string) {
	names := append(append([]string{}, required...), optional...)
	texts := map[string][]string{}
	current := ""
	for _, ml := range scanMarkdown(body) {
		if !ml.code {
			if _, _, isCmd := commandToken(ml); isCmd {
				continue
			}
			if name, rest, ok := sectionStart(ml.visible, names); ok {
				current = name
				texts[name] = append(texts[name], "")
				ml.visible = rest
			}
		}
		if current == "" {
			continue
		}
		t := texts[current]
		if t[len(t)-1] != "" || strings.TrimSpace(ml.visible) != "" {
			t[len(t)-1] += ml.visible + "\n"
		}
	}
	sections = map[string]string{}
	for _, n := range names {
		var parts []string
		for _, p := range texts[n] {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			sections[n] = strings.Join(parts, "\n\n")
		}
	}
	for _, n := range required {
		if _, ok := sections[n]; !ok {
			missing = append(missing, n)
		}
	}
	return sections, missing
}

// sectionStart reports whether a line starts one of the named sections and
// returns the configured name and the text after the label.
func sectionStart(line string, names []string) (name, rest string, ok bool) {
	t := strings.TrimSpace(line)
	heading := strings.HasPrefix(t, "#")
	if heading {
		h := strings.TrimLeft(t, "#")
		if len(t)-len(h) > 6 || h != "" && h[0] != ' ' && h[0] != '\t' {
			return "", "", false
		}
		t = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
	} else {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "- "), "* "))
	}
	label, rest, colon := strings.Cut(t, ":")
	if !colon && !heading {
		return "", "", false
	}
	if !colon {
		label = t
	}
	label = strings.Trim(label, "*_ \t")
	rest = strings.TrimSpace(strings.TrimLeft(rest, "*_"))
	label = strings.Join(strings.Fields(label), " ")
	for _, n := range names {
		if strings.EqualFold(label, strings.Join(strings.Fields(n), " ")) {
			return n, rest, true
		}
	}
	return "", "", false
}
