package cohort

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testNow is "now" for validation tests: before the valid request's dates.
var testNow = time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)

// msgs renders problems or warnings as "Field: Message" for compact diffs.
func msgs[T Problem | Warning](items []T) []string {
	var out []string
	for _, it := range items {
		switch x := any(it).(type) {
		case Problem:
			out = append(out, x.Field+": "+x.Message)
		case Warning:
			out = append(out, x.Field+": "+x.Message)
		}
	}
	return out
}

func handles(prefix string, n int) string {
	var l []string
	for i := 1; i <= n; i++ {
		l = append(l, fmt.Sprintf("@%s%d", prefix, i))
	}
	return strings.Join(l, "\n")
}

// required is the problem of an empty required field.
func required(f string) string { return f + ": " + f + " is required." }

// validateCases has a named case for every rule of SPEC §2 and every parsing
// hazard; want and wantWarn are "Field: Message".
var validateCases = []struct {
	name     string
	over     map[string]string
	body     string // used instead of renderForm(over) when set
	busy     map[string]string
	want     []string
	wantWarn []string
}{
	{name: "valid request"},
	{name: "missing name", over: map[string]string{FieldName: ""}, want: []string{required(FieldName)}},
	{name: "missing ladder step", over: map[string]string{FieldStep: absent}, want: []string{required(FieldStep)}},
	{name: "missing areas", over: map[string]string{FieldAreas: " , "}, want: []string{required(FieldAreas)}},
	{name: "missing mentors", over: map[string]string{FieldMentors: ""}, want: []string{required(FieldMentors),
		"Mentees: Line 1: @alice is paired with @mentor-a, who is not listed under Mentors."}},
	{name: "missing mentees", over: map[string]string{FieldMentees: "- [ ]\n\n"}, want: []string{required(FieldMentees)}},
	{name: "missing start date", over: map[string]string{FieldStart: ""}, want: []string{required(FieldStart)}},
	{name: "missing end date", over: map[string]string{FieldEnd: absent}, want: []string{required(FieldEnd)}},
	{name: "bad handle", over: map[string]string{FieldMentors: "@mentor-a\n@mentor-b\n@-mentor-c"},
		want: []string{`Mentors: Line 3: "-mentor-c" starts or ends with a hyphen, which GitHub logins cannot.`}},
	{name: "two handles on a line", over: map[string]string{FieldMentors: "@mentor-a\n@mentor-b @mentor-c"},
		want: []string{`Mentors: Line 2: "@mentor-b @mentor-c" holds more than one handle.`,
			"Mentors: 8 mentees need at least 3 mentors (one per 3); 2 are listed."}},
	{name: "look-alike handle", over: map[string]string{FieldMentees: strings.Replace(validValues[FieldMentees], "@carol", "@cаrol", 1)},
		want: []string{`Mentees: Line 3: "cаrol" contains the Cyrillic letter 'а' (U+0430), a look-alike of a Latin letter, which is not an ASCII letter or digit.`}},
	{name: "duplicate handle", over: map[string]string{FieldMentees: validValues[FieldMentees] + "\n@Bob"},
		want: []string{"Mentees: Line 9: @Bob is listed twice."}},
	{name: "mentor also mentee", over: map[string]string{FieldMentees: validValues[FieldMentees] + "\nMentor-B"},
		want: []string{"Mentees: Line 9: @Mentor-B is both a mentor and a mentee."}},
	{name: "bad pairing", over: map[string]string{FieldMentees: strings.Replace(validValues[FieldMentees], "@bob", "@bob → @zed", 1)},
		want: []string{"Mentees: Line 2: @bob is paired with @zed, who is not listed under Mentors."}},
	{name: "pairing in mentors", over: map[string]string{FieldMentors: "@mentor-a\n@mentor-b -> @x\n@mentor-c"},
		want: []string{"Mentors: Line 2: pairings (`->`) belong in Mentees."}},
	{name: "mentor over-paired", over: map[string]string{FieldMentees: "@a1 -> @mentor-a\n@a2 -> @Mentor-A\n@a3 -> mentor-a\n@a4 -> @mentor-a\n" + handles("b", 4)},
		want: []string{"Mentees: @mentor-a is paired with 4 mentees; the most is 3."}},
	{name: "unreal date", over: map[string]string{FieldStart: "2027-02-30"},
		want: []string{`Start date: Start date: "2027-02-30" is not a real date in the form YYYY-MM-DD.`}},
	{name: "sloppy date", over: map[string]string{FieldEnd: "2027-5-23"},
		want: []string{`End date: End date: "2027-5-23" is not a real date in the form YYYY-MM-DD.`}},
	{name: "start after end", over: map[string]string{FieldStart: "2027-06-01"},
		want: []string{"End date: The end date 2027-05-23 is not after the start date 2027-06-01."}},
	{name: "too short", over: map[string]string{FieldEnd: "2027-03-21"},
		want: []string{"End date: The cohort lasts 3 weeks; the shortest allowed is 4."}},
	{name: "too long", over: map[string]string{FieldEnd: "2027-06-22"},
		want: []string{"End date: The cohort lasts 17 weeks; the longest allowed is 16."}},
	{name: "end in past", over: map[string]string{FieldStart: "2026-11-01", FieldEnd: "2027-01-14"},
		want: []string{"End date: The end date 2027-01-14 is in the past (today is 2027-01-15 in Europe/Berlin)."}},
	{name: "too many mentees", over: map[string]string{FieldMentors: handles("m", 4), FieldMentees: handles("x", 11)},
		want: []string{"Mentees: 11 mentees are listed; a cohort has at most 10."}},
	{name: "too few mentors", over: map[string]string{FieldMentors: "@mentor-a\n@mentor-b"},
		want: []string{"Mentors: 8 mentees need at least 3 mentors (one per 3); 2 are listed."}},
	{name: "busy mentee", busy: map[string]string{"dave": "sig-node-2027", "alice": "sig-apps-reviewers-2027"},
		want: []string{"Mentees: @dave is already a mentee in the active cohort `sig-node-2027`."}},
	{name: "one mentee, no second mentor needed, singular", over: map[string]string{FieldMentors: "@mentor-a", FieldMentees: "@x1"},
		wantWarn: []string{"Mentees: 1 mentee is listed; cohorts work best with 8 to 10."}},
	{name: "one mentor for four, singular", over: map[string]string{FieldMentors: "@mentor-a", FieldMentees: handles("x", 4)},
		want:     []string{"Mentors: 4 mentees need at least 2 mentors (one per 3); 1 is listed."},
		wantWarn: []string{"Mentees: 4 mentees are listed; cohorts work best with 8 to 10."}},
	{name: "warning under 8", over: map[string]string{FieldMentees: handles("x", 7)},
		wantWarn: []string{"Mentees: 7 mentees are listed; cohorts work best with 8 to 10."}},
	{name: "bad day", over: map[string]string{FieldCheckinDay: "Mondays"},
		want: []string{`Check-in day: "Mondays" is not a day of the week; use Monday … Sunday.`}},
	{name: "bad time zone", over: map[string]string{FieldTimeZone: "Mars/Olympus"},
		want: []string{`Time zone: "Mars/Olympus" is not an IANA time zone name.`}},
	{name: "Local time zone", over: map[string]string{FieldTimeZone: "Local"},
		want: []string{`Time zone: "Local" depends on the server; name a zone such as "Europe/Berlin".`}},
	{name: "empty slug", over: map[string]string{FieldName: "日本語"},
		want: []string{`Cohort name: "日本語" gives an empty slug: it has no ASCII letters or digits.`}},
	{name: "bad ladder step", over: map[string]string{FieldStep: "Chair"}, want: []string{`Ladder step: "Chair" is not a ladder step.`}},
	{name: "CRLF body", body: strings.ReplaceAll(renderForm(nil), "\n", "\r\n")},
	{name: "### inside notes", over: map[string]string{FieldNotes: "### Mentors\n@intruder\n### Start date\n2020-01-01"}},
	{name: "- [ ] inside textarea", over: map[string]string{FieldMentors: "- [ ] @mentor-a\n- [x] @mentor-b\n- @mentor-c"}},
	{name: "unknown heading", body: strings.Replace(renderForm(nil), "### Notes", "### Budget\n\n100 EUR\n\n### Notes", 1),
		wantWarn: []string{`Budget: The form has no field "Budget"; its text was ignored.`}},
	{name: "65536-char body", body: renderForm(map[string]string{FieldNotes: strings.Repeat("n", 65536-600), FieldName: strings.Repeat("x", 200)}),
		want: []string{"Cohort name: Cohort name is 200 characters long; at most 100 are allowed.",
			"Notes: Notes is 64936 characters long; at most 5000 are allowed."}},
}

func TestValidateProblems(t *testing.T) {
	for _, tc := range validateCases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == "" {
				body = renderForm(tc.over)
			}
			_, problems, warnings := Validate(ParseForm(body), DefaultRules(), testNow, tc.busy)
			if diff := cmp.Diff(tc.want, msgs(problems)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantWarn, msgs(warnings)); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
			for _, p := range problems {
				if p.Fix == "" || p.Field == "" {
					t.Errorf("problem %q lacks a field or a fix", p.Message)
				}
			}
		})
	}
}

func TestValidateSpec(t *testing.T) {
	over := map[string]string{FieldStep: "subproject OWNER", FieldCheckinDay: "", FieldTimeZone: "", FieldChatChannel: "", FieldNotes: ""}
	got, problems, _ := Validate(ParseForm(renderForm(over)), DefaultRules(), testNow, nil)
	if len(problems) > 0 {
		t.Fatalf("unexpected problems: %v", msgs(problems))
	}
	want := Spec{
		Name: "SIG Apps reviewers 2027", Slug: "sig-apps-reviewers-2027", Step: StepSubprojectOwner,
		Areas: []string{"SIG Apps", "SIG CLI"}, Mentors: []string{"mentor-a", "mentor-b", "mentor-c"},
		Mentees: []Mentee{{Handle: "alice", Mentor: "mentor-a"}, {Handle: "bob"}, {Handle: "carol"}, {Handle: "dave"},
			{Handle: "erin"}, {Handle: "frank"}, {Handle: "grace"}, {Handle: "heidi"}},
		Start: Date{2027, 3, 1}, End: Date{2027, 5, 23}, CheckinDay: time.Monday, TimeZone: "UTC",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate() spec mismatch (-want +got):\n%s", diff)
	}
}

func TestValidateManyBadLines(t *testing.T) {
	var l []string
	for i := 0; i < 30; i++ {
		l = append(l, fmt.Sprintf("@bad_%d", i))
	}
	_, problems, _ := Validate(ParseForm(renderForm(map[string]string{FieldMentees: strings.Join(l, "\n"), FieldMentors: handles("m", 10)})), DefaultRules(), testNow, nil)
	got := msgs(problems)
	if len(got) != maxListProblems+2 || got[maxListProblems] != "Mentees: …and 20 more lines with problems." {
		t.Errorf("want %d line problems, a summary and the count problem; got %q", maxListProblems, got)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "example", in: "SIG Apps reviewers 2027", want: "sig-apps-reviewers-2027"},
		{name: "punctuation runs", in: "  --SIG/Apps__&  Reviewers!! ", want: "sig-apps-reviewers"},
		{name: "non-ASCII", in: "Ünïcödé Čohort", want: "n-c-d-ohort"},
		{name: "empty", in: "日本語", want: ""},
		{name: "cut at hyphen", in: strings.Repeat("abcd ", 12), want: strings.TrimSuffix(strings.Repeat("abcd-", 8), "-")},
		{name: "cut long word", in: strings.Repeat("a", 60), want: strings.Repeat("a", 40)},
		{name: "cut before word", in: strings.Repeat("a", 35) + " bcdefghij", want: strings.Repeat("a", 35)},
		{name: "label within GitHub's 50", in: "SIG Apps and SIG Node reviewers and approvers spring 2027", want: "sig-apps-and-sig-node-reviewers-and"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Slugify(tc.in)); diff != "" {
				t.Errorf("Slugify(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestNormalizeHandle(t *testing.T) {
	tests := []struct{ name, in, want, wantErr string }{
		{name: "with at", in: " @Octo-Cat ", want: "Octo-Cat"},
		{name: "without at", in: "octocat", want: "octocat"},
		{name: "two ats", in: "@@octocat", wantErr: `"@octocat" contains '@'; GitHub logins use only letters, digits and hyphens`},
		{name: "double hyphen", in: "a--b", wantErr: `"a--b" contains two hyphens in a row, which GitHub logins cannot`},
		{name: "too long", in: strings.Repeat("a", 40), wantErr: `"` + strings.Repeat("a", 40) + `" is longer than 39 characters, the most GitHub allows`},
		{name: "max length", in: strings.Repeat("a", 39), want: strings.Repeat("a", 39)},
		{name: "greek", in: "οctocat", wantErr: `"οctocat" contains the Greek letter 'ο' (U+03BF), a look-alike of a Latin letter, which is not an ASCII letter or digit`},
		{name: "empty", in: "@", wantErr: "the handle is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeHandle(tc.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tc.want+"|"+tc.wantErr, got+"|"+gotErr); diff != "" {
				t.Errorf("NormalizeHandle(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
