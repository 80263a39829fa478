package cohort

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseMenteeArg(t *testing.T) {
	tests := []struct {
		name, in string
		want     Mentee
		err      string
	}{
		{name: "handle", in: "@uma", want: Mentee{Handle: "uma"}},
		{name: "no at", in: "uma", want: Mentee{Handle: "uma"}},
		{name: "paired, spaced", in: "@uma -> @Ann", want: Mentee{Handle: "uma", Mentor: "Ann"}},
		{name: "paired, tight", in: "@uma->@ann", want: Mentee{Handle: "uma", Mentor: "ann"}},
		{name: "paired, arrow", in: "uma → ann", want: Mentee{Handle: "uma", Mentor: "ann"}},
		{name: "empty", in: "", err: "name one mentee, optionally paired: `@mentee -> @mentor`"},
		{name: "two handles", in: "@uma @vera", err: `"@uma @vera" holds more than one handle; add one mentee per command`},
		{name: "bad handle", in: "@u_ma", err: "`@u_ma` is not a GitHub handle: \"u_ma\" contains '_'; GitHub logins use only letters, digits and hyphens"},
		{name: "bad mentor", in: "@uma -> ", err: "the mentor after the arrow: the handle is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMenteeArg(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// testRoster: three mentors, eight mentees, ann paired with two.
func testRoster() Roster {
	return Roster{
		Mentors: []string{"ann", "ben", "cy"},
		Mentees: []Mentee{{Handle: "mia", Mentor: "ann"}, {Handle: "noah", Mentor: "ann"}, {Handle: "olga", Mentor: "ben"},
			{Handle: "pete"}, {Handle: "quinn"}, {Handle: "rosa"}, {Handle: "sam"}, {Handle: "tess"}},
	}
}

func TestCheckAddMentee(t *testing.T) {
	full := testRoster()
	full.Mentees = append(full.Mentees, Mentee{Handle: "uma"})
	tests := []struct {
		name   string
		roster Roster
		m      Mentee
		busy   string
		want   Mentee
		probs  []string
	}{
		{name: "fits", roster: testRoster(), m: Mentee{Handle: "uma", Mentor: "ANN"}, want: Mentee{Handle: "uma", Mentor: "ann"}},
		{name: "already a mentee", roster: testRoster(), m: Mentee{Handle: "MIA"}, want: Mentee{Handle: "MIA"},
			probs: []string{"@MIA is already a mentee of this cohort."}},
		{name: "a mentor", roster: testRoster(), m: Mentee{Handle: "cy"}, want: Mentee{Handle: "cy"},
			probs: []string{"@cy is a mentor of this cohort; nobody can be both mentor and mentee."}},
		{name: "busy", roster: testRoster(), m: Mentee{Handle: "uma"}, busy: "sig-cli", want: Mentee{Handle: "uma"},
			probs: []string{"@uma is already a mentee in the active cohort `sig-cli`; withdraw them there first."}},
		{name: "unknown mentor", roster: testRoster(), m: Mentee{Handle: "uma", Mentor: "zed"}, want: Mentee{Handle: "uma", Mentor: "zed"},
			probs: []string{"@zed is not a mentor of this cohort; pair @uma with one of @ann, @ben, @cy, or leave out the pairing."}},
		{name: "ratio", roster: full, m: Mentee{Handle: "vera", Mentor: "ann"}, want: Mentee{Handle: "vera", Mentor: "ann"},
			probs: []string{
				"10 mentees need at least 4 mentors (one per 3); the cohort has 3. Add a mentor first with `/add-mentor @handle`.",
			}},
		{name: "too many", roster: Roster{Mentors: []string{"a", "b", "c", "d"}, Mentees: append(full.Mentees, Mentee{Handle: "vera"})},
			m: Mentee{Handle: "walt"}, want: Mentee{Handle: "walt"},
			probs: []string{"the cohort already has 10 mentees, the most allowed (`max_mentees: 10`)."}},
	}
	// ann has two: a third is fine, a fourth is not.
	over := testRoster()
	over.Mentees = append(over.Mentees, Mentee{Handle: "uma", Mentor: "ann"})
	tests = append(tests, struct {
		name   string
		roster Roster
		m      Mentee
		busy   string
		want   Mentee
		probs  []string
	}{name: "mentor full", roster: over, m: Mentee{Handle: "vera", Mentor: "ann"}, want: Mentee{Handle: "vera", Mentor: "ann"},
		probs: []string{
			"10 mentees need at least 4 mentors (one per 3); the cohort has 3. Add a mentor first with `/add-mentor @handle`.",
			"@ann is already paired with 3 mentees, the most allowed; pair @vera with another mentor, or leave out the pairing.",
		}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs := tc.roster.CheckAddMentee(DefaultRules(), tc.m, tc.busy)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("mentee (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.probs, probs); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

func TestCheckMentors(t *testing.T) {
	four := testRoster()
	four.Mentors = append(four.Mentors, "dee")
	tests := []struct {
		name     string
		roster   Roster
		remove   string
		unpaired []string
		probs    []string
	}{
		{name: "ratio", roster: testRoster(), remove: "cy",
			probs: []string{"the cohort's 8 mentees need at least 3 mentors (one per 3); without @cy it would have 2. Add another mentor first with `/add-mentor @handle`."}},
		{name: "not a mentor", roster: four, remove: "mia", probs: []string{"@mia is not a mentor of this cohort."}},
		{name: "unpairs", roster: four, remove: "ANN", unpaired: []string{"mia", "noah"}},
		{name: "last mentor of no mentees", roster: Roster{Mentors: []string{"ann"}}, remove: "ann",
			probs: []string{"the cohort's 0 mentees need at least 1 mentors (one per 3); without @ann it would have 0. Add another mentor first with `/add-mentor @handle`."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			unpaired, probs := tc.roster.CheckRemoveMentor(DefaultRules(), tc.remove)
			if d := cmp.Diff(tc.unpaired, unpaired); d != "" {
				t.Errorf("unpaired (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.probs, probs); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
	if d := cmp.Diff([]string{"@BEN is already a mentor of this cohort."}, testRoster().CheckAddMentor("BEN")); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff([]string{"@tess is a mentee of this cohort; nobody can be both mentor and mentee."}, testRoster().CheckAddMentor("tess")); d != "" {
		t.Error(d)
	}
	if p := testRoster().CheckAddMentor("dee"); p != nil {
		t.Errorf("adding a new mentor: %v", p)
	}
}

func TestCheckDates(t *testing.T) {
	start := Date{2027, 1, 11}
	now := time.Date(2027, 1, 19, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		end  Date
		loc  string
		want []string
	}{
		{name: "fine", end: Date{2027, 3, 28}, loc: "UTC"},
		{name: "today is not the past", end: Date{2027, 2, 14}, loc: "UTC"},
		{name: "past", end: Date{2027, 1, 18}, loc: "UTC", want: []string{
			"End date: The end date 2027-01-18 is in the past (today is 2027-01-19 in UTC).",
			"End date: The cohort lasts 2 weeks; the shortest allowed is 4."}},
		{name: "already tomorrow in Auckland", end: Date{2027, 1, 19}, loc: "Pacific/Auckland", want: []string{
			"End date: The end date 2027-01-19 is in the past (today is 2027-01-20 in Pacific/Auckland).",
			"End date: The cohort lasts 2 weeks; the shortest allowed is 4."}},
		{name: "before the start", end: Date{2027, 1, 10}, loc: "UTC", want: []string{
			"End date: The end date 2027-01-10 is in the past (today is 2027-01-19 in UTC).",
			"End date: The end date 2027-01-10 is not after the start date 2027-01-11."}},
		{name: "too long", end: Date{2027, 5, 3}, loc: "UTC", want: []string{"End date: The cohort lasts 17 weeks; the longest allowed is 16."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := LoadTimeZone(tc.loc)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, msgs(CheckDates(start, tc.end, DefaultRules(), loc, now))); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
