package cohort

import (
	"fmt"
	"strings"
	"time"
)

// maxSlugLen bounds a slug so that the label "in-cohort/<slug>" (10 + 40
// characters) stays within GitHub's 50-character limit on label names; a
// longer one is refused with 422 and the cohort would never be created.
const maxSlugLen = 40

// Slugify turns a cohort name into the slug used in labels and commands:
// lower-case, every run of characters outside [a-z0-9] one hyphen, no hyphen
// at either end, at most 50 characters cut at a hyphen where possible
// ("SIG Apps reviewers 2027" → "sig-apps-reviewers-2027"). A name with no
// ASCII letter or digit has the empty slug, which Validate rejects.
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	s := b.String()
	if len(s) <= maxSlugLen {
		return s
	}
	cut := s[:maxSlugLen]
	if s[maxSlugLen] != '-' {
		if i := strings.LastIndexByte(cut, '-'); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, "-")
}

// ParseWeekday reads a weekday name, case-insensitively, in full ("Monday")
// or as its first three letters ("mon"), as people write it in forms and
// YAML.
func ParseWeekday(s string) (time.Weekday, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		full := strings.ToLower(d.String())
		if t == full || t == full[:3] {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%q is not a day of the week; use Monday … Sunday", clip(s, 40))
}

// LoadTimeZone loads an IANA time zone name, rejecting the empty name and
// "Local", which would make the cohort's weeks depend on the server.
func LoadTimeZone(name string) (*time.Location, error) {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return nil, fmt.Errorf("the time zone is empty")
	case strings.EqualFold(n, "Local"):
		return nil, fmt.Errorf(`"Local" depends on the server; name a zone such as "Europe/Berlin"`)
	case len(n) > 64:
		return nil, fmt.Errorf("%q is not an IANA time zone name", clip(n, 40))
	}
	loc, err := time.LoadLocation(n)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone name", clip(n, 40))
	}
	return loc, nil
}
