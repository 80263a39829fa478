package waitlist

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC)

func w(n int, kind, handle, step, tz string, areas ...string) Waiting {
	return Waiting{Number: n, Kind: kind, Handle: handle, Step: step, TimeZone: tz, Areas: areas, Capacity: 3,
		Since: t0.Add(time.Duration(n) * time.Hour)}
}

func numbers(ws []Waiting) []int {
	out := []int{}
	for _, x := range ws {
		out = append(out, x.Number)
	}
	return out
}

func TestMatch(t *testing.T) {
	ws := []Waiting{
		w(5, KindMentee, "late", "Reviewer", "UTC", "SIG Apps"),
		w(1, KindMentee, "early", "Reviewer", "UTC", "sig  APPS"),
		w(2, KindMentee, "other-area", "Reviewer", "UTC", "SIG Storage"),
		w(3, KindMentee, "other-step", "Approver", "UTC", "SIG Apps"),
		w(4, KindMentor, "Roster", "Reviewer", "UTC", "SIG CLI"),
		w(6, KindMentor, "mentor", "Reviewer", "UTC", "SIG CLI", "SIG Apps"),
	}
	tests := []struct {
		name    string
		step    string
		areas   []string
		exclude map[string]bool
		want    []int
	}{
		{"shared area, oldest first, roster out", "Reviewer", []string{"SIG Apps", "SIG CLI"}, map[string]bool{"roster": true}, []int{1, 5, 6}},
		{"no areas: any", "Reviewer", nil, nil, []int{1, 2, 4, 5, 6}},
		{"other step", "Approver", []string{"SIG Apps"}, nil, []int{3}},
		{"nothing", "Member", []string{"SIG Apps"}, nil, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, numbers(Match(ws, tt.step, tt.areas, tt.exclude))); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestSection(t *testing.T) {
	if s := Section(nil, "Reviewer"); s != "" {
		t.Errorf("no matches gave %q", s)
	}
	var ws []Waiting
	for i := 1; i <= 23; i++ {
		ws = append(ws, w(i, KindMentee, fmt.Sprintf("p%d", i), "Reviewer", "Asia/Tokyo", "a|b"))
	}
	ws[0].Kind, ws[0].Capacity = KindMentor, 2
	s := Section(ws, "Reviewer")
	for _, want := range []string{SectionMarker, "#### From the waitlist", "| mentor (up to 2) | `@p1` | Asia/Tokyo | a\\|b |",
		"| mentee | `@p20` |", "…and 3 more on the waitlist."} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "`@p21`") {
		t.Error("section lists more than 20")
	}
	if got := WithSection("body\n", ""); got != "body\n" {
		t.Errorf("WithSection with nothing changed the body: %q", got)
	}
}

func TestParseStep(t *testing.T) {
	tests := []struct {
		args       []string
		step, area string
		ok         bool
	}{
		{[]string{"Reviewer", "SIG", "Apps"}, "Reviewer", "SIG Apps", true},
		{[]string{"subproject", "OWNER"}, "Subproject owner", "", true},
		{[]string{"Subproject", "owner", "SIG", "Node"}, "Subproject owner", "SIG Node", true},
		{[]string{"member"}, "Member", "", true},
		{[]string{"Wizard", "SIG", "Apps"}, "", "", false},
		{[]string{"Subproject"}, "", "", false},
		{nil, "", "", false},
	}
	for _, tt := range tests {
		step, area, ok := ParseStep(tt.args)
		if step != tt.step || area != tt.area || ok != tt.ok {
			t.Errorf("ParseStep(%q) = %q, %q, %v; want %q, %q, %v", tt.args, step, area, ok, tt.step, tt.area, tt.ok)
		}
	}
}

type proposeCase struct {
	name     string
	ws       []Waiting
	area     string
	max, per int
	mentees  []int
	mentors  []int
	other    int
	missing  string
	areas    []string
}

func proposeCases(berlin, paris, la, tokyo string) []proposeCase {
	return []proposeCase{
		{name: "oldest of one time-zone group, enough mentors",
			ws: []Waiting{w(1, KindMentee, "a", "Reviewer", berlin, "SIG Apps"), w(2, KindMentee, "b", "Reviewer", la, "SIG Apps"),
				w(3, KindMentee, "c", "Reviewer", paris, "SIG Apps", "SIG CLI"), w(4, KindMentee, "d", "Reviewer", tokyo, "SIG Apps"),
				w(5, KindMentor, "m1", "Reviewer", la, "SIG Apps"), w(6, KindMentor, "m2", "Reviewer", berlin, "SIG Apps")},
			max: 10, per: 3, mentees: []int{1, 3}, mentors: []int{6}, other: 2, areas: []string{"SIG Apps"}},
		{name: "the larger group around the oldest wins",
			ws: []Waiting{w(1, KindMentee, "a", "Reviewer", "UTC", "x"), w(2, KindMentee, "b", "Reviewer", "America/New_York", "x"),
				w(3, KindMentee, "c", "Reviewer", "America/Chicago", "x"), w(4, KindMentee, "d", "Reviewer", "Asia/Kolkata", "x"),
				w(5, KindMentor, "m", "Reviewer", "UTC", "x")},
			max: 10, per: 3, mentees: []int{1, 2, 3}, mentors: []int{5}, other: 1, areas: []string{"x"}},
		{name: "at most max mentees, mentors for the ratio and capacity",
			ws: []Waiting{w(1, KindMentee, "a", "Member", "UTC", "x"), w(2, KindMentee, "b", "Member", "UTC", "x"),
				w(3, KindMentee, "c", "Member", "UTC", "x"), w(4, KindMentee, "d", "Member", "UTC", "x"),
				w(5, KindMentee, "e", "Member", "UTC", "x"),
				{Number: 6, Kind: KindMentor, Handle: "m1", Step: "Member", TimeZone: "UTC", Areas: []string{"x"}, Capacity: 1, Since: t0},
				w(7, KindMentor, "m2", "Member", "UTC", "x"), w(8, KindMentor, "m3", "Member", "UTC", "x")},
			max: 4, per: 3, mentees: []int{1, 2, 3, 4}, mentors: []int{6, 7}, other: 1, areas: []string{"x"}},
		{name: "area given",
			ws: []Waiting{w(1, KindMentee, "a", "Member", "UTC", "x"), w(2, KindMentee, "b", "Member", "UTC", "y"),
				w(3, KindMentor, "m", "Member", "UTC", "x"), w(4, KindMentor, "n", "Member", "UTC", "y")},
			area: "Y", max: 10, per: 3, mentees: []int{2}, mentors: []int{4}, areas: []string{"Y"}},
		{name: "no mentee", ws: []Waiting{w(1, KindMentor, "m", "Member", "UTC", "x")}, area: "x", max: 10, per: 3,
			missing: "no mentee on the waitlist aims for Member in x."},
		{name: "too few mentors",
			ws: []Waiting{w(1, KindMentee, "a", "Member", "UTC", "x"), w(2, KindMentee, "b", "Member", "UTC", "x"),
				{Number: 3, Kind: KindMentor, Handle: "m", Step: "Member", TimeZone: "UTC", Areas: []string{"x"}, Capacity: 1, Since: t0}},
			max: 10, per: 3, mentees: []int{1, 2}, mentors: []int{3}, areas: []string{"x"},
			missing: "2 mentees match (`@a`, `@b`) but only 1 mentor offer for Member in x, taking 1 mentee between them; a cohort of 2 needs at least 1 mentor with room"},
		{name: "a waitlisted mentee is not their own mentor",
			ws:  []Waiting{w(1, KindMentee, "a", "Member", "UTC", "x"), w(2, KindMentor, "A", "Member", "UTC", "x")},
			max: 10, per: 3, mentees: []int{1}, mentors: []int{}, areas: []string{"x"},
			missing: "only 0 mentor offers"},
	}
}

func TestPropose(t *testing.T) {
	berlin, paris, la, tokyo := "Europe/Berlin", "Europe/Paris", "America/Los_Angeles", "Asia/Tokyo"
	for _, tt := range proposeCases(berlin, paris, la, tokyo) {
		t.Run(tt.name, func(t *testing.T) {
			p := Propose(tt.ws, tt.ws[0].Step, tt.area, tt.max, tt.per, t0)
			if !strings.Contains(p.Missing, tt.missing) || (tt.missing == "") != (p.Missing == "") {
				t.Errorf("missing %q, want %q", p.Missing, tt.missing)
			}
			if tt.missing != "" && tt.mentees == nil {
				return
			}
			got := struct {
				Mentees, Mentors []int
				Other            int
				Areas            []string
			}{numbers(p.Mentees), numbers(p.Mentors), p.Other, p.Areas}
			want := got
			want.Mentees, want.Mentors, want.Other, want.Areas = tt.mentees, tt.mentors, tt.other, tt.areas
			if want.Mentors == nil {
				want.Mentors = []int{}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestProposalBody(t *testing.T) {
	p := Propose([]Waiting{w(1, KindMentee, "a", "Reviewer", "Europe/Berlin", "SIG Apps"),
		w(2, KindMentor, "m", "Reviewer", "UTC", "SIG Apps")}, "Reviewer", "", 10, 3, t0)
	if p.Title() != "New cohort: Reviewer SIG Apps (proposed)" {
		t.Errorf("title %q", p.Title())
	}
	b := p.Body("olivia")
	for _, want := range []string{"### Cohort name\n\nSIG Apps reviewers", "### Mentors\n\n@m", "### Mentees\n\n@a",
		"### Start date\n\n_No response_", "### Time zone\n\nEurope/Berlin", "@olivia", "cohort/request", "| mentee | `@a` |"} {
		if !strings.Contains(b, want) {
			t.Errorf("body lacks %q:\n%s", want, b)
		}
	}
}
