package cohort

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// crlf is body as the web UI submits it; only bodies without a CR are
// converted, since a lone CR is content and "\r\n" → "\r\r\n" is not CRLF.
func crlf(body string) (string, bool) {
	if strings.Contains(body, "\r") {
		return "", false
	}
	return strings.ReplaceAll(body, "\n", "\r\n"), true
}

func formSeeds(f *testing.F) {
	f.Add(renderForm(nil))
	f.Add(renderForm(map[string]string{FieldNotes: "### Mentors\n@x\n### Budget\n- [ ] a", FieldMentees: "- [ ] @a -> @mentor-a\n\n@b → @mentor-b"}))
	f.Add(strings.Replace(renderForm(nil), "### Notes", "### Budget\n\n1\n\n### Notes", 1))
	f.Add("### Notes\n### Notes\n### Cohort name\n###\n####\n   ### Mentors")
	f.Add("")
	f.Add("\r\n\r\n")
}

func FuzzParseForm(f *testing.F) {
	formSeeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		got := ParseForm(body)
		for k, v := range got.Fields {
			if !slices.Contains(FormFields, k) {
				t.Errorf("field %q is not a form field", k)
			}
			if v != strings.TrimRight(v, " \t\r\n") || strings.HasPrefix(v, "\n") || v == noResponse {
				t.Errorf("field %q value %q is not cleaned", k, v)
			}
		}
		if c, ok := crlf(body); ok {
			if diff := cmp.Diff(got, ParseForm(c)); diff != "" {
				t.Errorf("CRLF body parses differently (-LF +CRLF):\n%s", diff)
			}
		}
	})
}

func FuzzValidate(f *testing.F) {
	formSeeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		form := ParseForm(body)
		spec, problems, _ := Validate(form, DefaultRules(), testNow, map[string]string{"bob": "other"})
		for _, p := range problems {
			if p.Field == "" || p.Message == "" || p.Fix == "" {
				t.Errorf("incomplete problem %+v", p)
			}
		}
		if len(problems) > 0 {
			return
		}
		if spec.Slug == "" || len(spec.Mentees) == 0 || len(spec.Mentees) > 10 || len(spec.Mentors)*3 < len(spec.Mentees) {
			t.Errorf("valid spec breaks the rules: %+v", spec)
		}
		for _, m := range spec.Mentees {
			if ValidHandle(m.Handle) != nil || strings.EqualFold(m.Handle, "bob") || slices.Contains(spec.Mentors, m.Handle) {
				t.Errorf("mentee %q accepted", m.Handle)
			}
		}
		for _, h := range spec.Mentors {
			if ValidHandle(h) != nil {
				t.Errorf("mentor %q accepted", h)
			}
		}
		if w := spec.Weeks(); w < 4 || w > 16 {
			t.Errorf("valid spec lasts %d weeks", w)
		}
		checkCalendar(t, spec)
	})
}

// checkCalendar asserts that a valid spec's weeks tile its dates.
func checkCalendar(t *testing.T, spec Spec) {
	c, err := NewCalendar(spec)
	if err != nil {
		t.Fatalf("NewCalendar(valid spec): %v", err)
	}
	if !c.WeekStart(1).Equal(c.Begin()) || !c.WeekEnd(c.Weeks()).Equal(c.Finish()) {
		t.Errorf("weeks do not span the cohort")
	}
	for n := 1; n <= c.Weeks(); n++ {
		s, e := c.WeekStart(n), c.WeekEnd(n)
		if !s.Before(e) {
			t.Fatalf("week %d is empty: [%v, %v)", n, s, e)
		}
		for _, at := range []time.Time{s, e.Add(-time.Nanosecond)} {
			if w, ok := c.WeekOf(at); !ok || w != n {
				t.Errorf("WeekOf(%v) = %d, %v; want %d", at, w, ok, n)
			}
		}
	}
	if got := c.Boundaries(c.Begin().Add(-time.Hour), c.Finish()); len(got) != c.Weeks() {
		t.Errorf("Boundaries over the whole cohort = %v, want %d weeks", got, c.Weeks())
	}
}

func commentSeeds(f *testing.F) {
	f.Add("/checkin @bob\nAccomplishments: a\n## Challenges\nb\n")
	f.Add("```\n/checkin\n```\n<!--\n/away\n-->\n> /pass\n    /extend\n/graduate @a x")
	f.Add("Next steps: <!-- hint\n-->\n~~~\nChallenges:\n~~~~\n/checkin:\n")
	f.Add("**Accomplishments:** x\n- **Challenges**: y\n# Next steps #\n")
	f.Add(strings.Repeat("/away\n", 60))
}

func FuzzParseCommands(f *testing.F) {
	commentSeeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		cmds := ParseCommands(body)
		if len(cmds) > MaxCommands {
			t.Errorf("%d commands, more than %d", len(cmds), MaxCommands)
		}
		last := 0
		for _, c := range cmds {
			if c.Name == "" || !isLetter(c.Name[0]) || c.Line <= last || !strings.HasPrefix(c.Raw, "/") {
				t.Errorf("bad command %+v after line %d", c, last)
			}
			last = c.Line
			if s, ok := Misspelling(c.Name, specNames); ok && !slices.Contains(specNames, s) {
				t.Errorf("Misspelling(%q) = %q, not a command", c.Name, s)
			}
		}
		if c, ok := crlf(body); ok {
			if diff := cmp.Diff(cmds, ParseCommands(c)); diff != "" {
				t.Errorf("CRLF comment parses differently (-LF +CRLF):\n%s", diff)
			}
		}
	})
}

func FuzzParseCheckin(f *testing.F) {
	commentSeeds(f)
	required, optional := []string{"Accomplishments", "Challenges"}, []string{"Next steps"}
	f.Fuzz(func(t *testing.T, body string) {
		sections, missing := ParseCheckin(body, required, optional)
		for k, v := range sections {
			if !slices.Contains(required, k) && !slices.Contains(optional, k) || v == "" || v != strings.TrimSpace(v) {
				t.Errorf("bad section %q: %q", k, v)
			}
		}
		for _, r := range required {
			_, has := sections[r]
			if has == slices.Contains(missing, r) {
				t.Errorf("section %q: present %v, missing %v", r, has, missing)
			}
		}
		if c, ok := crlf(body); ok {
			s2, m2 := ParseCheckin(c, required, optional)
			if diff := cmp.Diff([]any{sections, missing}, []any{s2, m2}); diff != "" {
				t.Errorf("CRLF comment parses differently (-LF +CRLF):\n%s", diff)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-02-28", "2027-02-30", "2028-02-29", " 2027-1-01", "0000-01-01", "+027-01-01", "2027-13-01", "20270101"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != strings.TrimSpace(s) {
			t.Errorf("ParseDate(%q) = %s, not the same date", s, d)
		}
		if d2, err := ParseDate(d.String()); err != nil || d2 != d || d.AddDays(1).AddDays(-1) != d {
			t.Errorf("ParseDate(%q) does not round-trip: %v %v", s, d2, err)
		}
	})
}

// fuzzZones have daylight-saving switches at midnight (Santiago, Beirut,
// Havana, Asunción), half-hour switches (Lord Howe), southern-hemisphere
// seasons (Auckland), or a skipped day (Apia, 2011-12-30).
var fuzzZones = []string{"UTC", "America/New_York", "Europe/Berlin", "Pacific/Auckland", "America/Santiago",
	"Asia/Beirut", "America/Havana", "America/Asuncion", "Australia/Lord_Howe", "Pacific/Apia"}

func FuzzCalendar(f *testing.F) {
	f.Add(uint16(9550), uint16(27), uint8(1), uint8(1))
	f.Add(uint16(15070), uint16(90), uint8(3), uint8(9))
	f.Add(uint16(20000), uint16(0), uint8(6), uint8(4))
	f.Fuzz(func(t *testing.T, startDay, length uint16, day, zone uint8) {
		start := Date{1990, 1, 1}.AddDays(int(startDay))
		spec := Spec{Start: start, End: start.AddDays(int(length % 400)), CheckinDay: time.Weekday(day % 7),
			TimeZone: fuzzZones[int(zone)%len(fuzzZones)]}
		checkCalendar(t, spec)
	})
}
