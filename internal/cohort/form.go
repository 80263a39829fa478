package cohort

import (
	"strings"
)

// noResponse is what GitHub renders for an issue-form field left empty.
const noResponse = "_No response_"

// Form is a new-cohort issue body split into its fields. It is only the
// parse; Validate decides whether the values make sense.
type Form struct {
	// Fields maps a canonical heading from FormFields to its value. A heading
	// absent from the body has no entry; "_No response_" is stored as "".
	Fields map[string]string
	// Unknown lists, in body order, "### " headings that are not fields of
	// the form and whose text was ignored (an organizer's own addition to the
	// form, or a typo in a heading), so Validate can say so.
	Unknown []string
}

// Get returns the value of a field, "" when the body does not have it.
func (f Form) Get(field string) string { return f.Fields[field] }

// ParseForm splits a rendered issue-form body into fields.
//
// Known headings. Only a heading that is exactly (case-insensitively,
// whitespace trimmed) one of FormFields can start a field, and of those the
// parser keeps the longest run that follows form order (each heading later in
// FormFields than the one before); when several runs are equally long, the one
// whose headings come first in the body wins. A field heading repeated or out
// of form order is text of the field it falls in. GitHub renders every field
// in order, so a heading typed inside an answer never outnumbers the real
// ones: a "### Notes" typed inside Mentees does not hide Start date … Chat
// channel, and a "### Mentors" typed inside Notes stays in Notes.
//
// Unknown headings. Any other "### " line ends the field it falls in and its
// text is ignored, up to the next known heading; its title goes to Unknown. An
// organizer who adds a field to their copy of the form thus gets a warning,
// not a broken neighbouring field. Notes is the exception: it is free
// Markdown, so headings inside it are kept as its text.
//
// Text before the first field is ignored. CRLF and LF bodies parse the same;
// leading and trailing blank lines of a value are trimmed; everything else in
// a value is kept as typed.
func ParseForm(body string) Form { return ParseFormFields(body, FormFields) }

// ParseFormFields is ParseForm for another issue form whose headings, in
// form order, are fields (the waitlist's forms, SPEC §11): the same rules,
// with fields in place of FormFields. A field named FieldNotes is free
// Markdown as in ParseForm.
func ParseFormFields(body string, fields []string) Form {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	var cands []headingAt
	var others []headingAt // unknown headings; field is unused
	for i, l := range lines {
		if text, ok := headingText(l); ok {
			if idx := fieldIndex(text, fields); idx >= 0 {
				cands = append(cands, headingAt{line: i, field: idx})
			} else {
				others = append(others, headingAt{line: i, text: text})
			}
		}
	}
	chosen := longestInOrder(cands, len(fields))
	f := Form{Fields: map[string]string{}}
	freeFrom := len(lines) // the line where Notes starts, if it does
	for k, h := range chosen {
		end := len(lines)
		if k+1 < len(chosen) {
			end = chosen[k+1].line
		}
		if fields[h.field] == FieldNotes {
			freeFrom = h.line
		} else {
			for _, o := range others {
				if o.line > h.line && o.line < end {
					end = o.line
					break
				}
			}
		}
		f.Fields[fields[h.field]] = cleanValue(lines[h.line+1 : end])
	}
	for _, o := range others {
		if o.line < freeFrom && o.text != "" {
			f.Unknown = append(f.Unknown, o.text)
		}
	}
	return f
}

// headingAt is a "### " line: its line number and, for a known heading, its
// index in FormFields, else its text.
type headingAt struct {
	line, field int
	text        string
}

// headingText reports whether line is a level-3 ATX heading ("### Text", up
// to three spaces of indentation) and returns its trimmed text.
func headingText(line string) (string, bool) {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 || !strings.HasPrefix(s, "###") {
		return "", false
	}
	s = s[3:]
	if s != "" && s[0] != ' ' && s[0] != '\t' {
		return "", false // "####" or "###x" is not our heading
	}
	return strings.Join(strings.Fields(s), " "), true
}

// fieldIndex returns the index in fields of a heading text, or -1.
func fieldIndex(text string, fields []string) int {
	for i, name := range fields {
		if strings.EqualFold(text, name) {
			return i
		}
	}
	return -1
}

// longestInOrder picks the longest subsequence of cands whose field indexes
// strictly increase, preferring the earliest lines on ties. There are only
// nf distinct indexes (the form's fields), so this is linear in len(cands).
func longestInOrder(cands []headingAt, nf int) []headingAt {
	// best[i] is the length of the longest increasing run starting at cands[i].
	best := make([]int, len(cands))
	bestFrom := make([]int, nf+1) // bestFrom[v]: longest run starting with field index >= v seen so far
	for i := len(cands) - 1; i >= 0; i-- {
		v := cands[i].field
		best[i] = 1 + bestFrom[v+1]
		for w := v; w >= 0 && bestFrom[w] < best[i]; w-- {
			bestFrom[w] = best[i]
		}
	}
	want, last := bestFrom[0], -1
	var out []headingAt
	for i, c := range cands {
		if want > 0 && c.field > last && best[i] == want {
			out = append(out, c)
			last, want = c.field, want-1
		}
	}
	return out
}

// cleanValue joins a section's lines, trims leading and trailing blank lines
// and trailing whitespace, and maps "_No response_" to "".
func cleanValue(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	v := strings.TrimRight(strings.Join(lines, "\n"), " \t\r\n")
	if strings.TrimSpace(v) == noResponse {
		return ""
	}
	return v
}
