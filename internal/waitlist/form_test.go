package waitlist

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func body(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		if v == "" {
			v = "_No response_"
		}
		b.WriteString("### " + kv[i] + "\r\n\r\n" + v + "\r\n\r\n")
	}
	return b.String()
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		body   string
		want   string
	}{
		{"interest label", []string{"cohort/interest"}, "", KindMentee},
		{"offer label, any case", []string{"Cohort/Mentor-Offer"}, "", KindMentor},
		{"waitlist label", []string{"waitlist/mentor"}, "", KindMentor},
		{"interest heading, no label", nil, body(FieldAimStep, "Reviewer"), KindMentee},
		{"offer heading, no label", nil, body(FieldMentorStep, "Reviewer"), KindMentor},
		{"heading in prose", nil, "How do I fill ### Ladder step I am aiming for?", ""},
		{"a request", []string{"cohort/request"}, body("Cohort name", "x", "Ladder step", "Reviewer"), ""},
		{"a plain issue", nil, "### What happened\n\nA typo.", ""},
		{"level-4 heading", nil, "#### Ladder step I am aiming for\n\nReviewer", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.labels, tt.body); got != tt.want {
				t.Errorf("KindOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, kind, body string
		want             Entry
		problems         []string // substrings, one per problem, in order
	}{
		{name: "valid interest", kind: KindMentee,
			body: body(FieldAimStep, "reviewer", "SIGs or areas", "SIG Apps, sig  apps,\nSIG CLI", "Time zone", "Europe/Berlin", "Notes", "hi"),
			want: Entry{Kind: KindMentee, Step: "Reviewer", Areas: []string{"SIG Apps", "SIG CLI"}, TimeZone: "Europe/Berlin", Notes: "hi"}},
		{name: "valid offer, default capacity", kind: KindMentor,
			body: body(FieldMentorStep, "Subproject owner", "SIGs or areas", "SIG Node", "Time zone", "UTC", FieldCapacity, ""),
			want: Entry{Kind: KindMentor, Step: "Subproject owner", Areas: []string{"SIG Node"}, TimeZone: "UTC", Capacity: 3}},
		{name: "offer capacity", kind: KindMentor,
			body: body(FieldMentorStep, "Member", "SIGs or areas", "a", "Time zone", "Asia/Tokyo", FieldCapacity, " 5 "),
			want: Entry{Kind: KindMentor, Step: "Member", Areas: []string{"a"}, TimeZone: "Asia/Tokyo", Capacity: 5}},
		{name: "everything wrong", kind: KindMentor,
			body:     body(FieldMentorStep, "Wizard", "SIGs or areas", "", "Time zone", "Mars/Olympus", FieldCapacity, "three"),
			want:     Entry{Kind: KindMentor},
			problems: []string{`"Wizard" is not a ladder step`, "SIGs or areas is required", `"Mars/Olympus" is not an IANA`, `"three" is not a number`}},
		{name: "empty body", kind: KindMentee, body: "",
			want:     Entry{Kind: KindMentee},
			problems: []string{FieldAimStep + " is required", "SIGs or areas is required", "Time zone is required"}},
		{name: "capacity zero", kind: KindMentor,
			body:     body(FieldMentorStep, "Member", "SIGs or areas", "a", "Time zone", "UTC", FieldCapacity, "0"),
			want:     Entry{Kind: KindMentor, Step: "Member", Areas: []string{"a"}, TimeZone: "UTC"},
			problems: []string{"0 mentees is outside 1 to 10"}},
		{name: "two-line time zone", kind: KindMentee,
			body:     body(FieldAimStep, "Member", "SIGs or areas", "a", "Time zone", "UTC\nEurope/Paris"),
			want:     Entry{Kind: KindMentee, Step: "Member", Areas: []string{"a"}},
			problems: []string{"Time zone must be a single line"}},
		{name: "area too long", kind: KindMentee,
			body:     body(FieldAimStep, "Member", "SIGs or areas", strings.Repeat("x", 51)+", ok", "Time zone", "UTC"),
			want:     Entry{Kind: KindMentee, Step: "Member", Areas: []string{"ok"}, TimeZone: "UTC"},
			problems: []string{"longer than 50 characters"}},
		{name: "a heading typed in notes stays in notes", kind: KindMentee,
			body: body(FieldAimStep, "Member", "SIGs or areas", "a", "Time zone", "UTC", "Notes", "### Time zone\n\nMars"),
			want: Entry{Kind: KindMentee, Step: "Member", Areas: []string{"a"}, TimeZone: "UTC", Notes: "### Time zone\n\nMars"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ps := Parse(tt.kind, tt.body, 3, 10)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("entry (-want +got):\n%s", d)
			}
			if len(ps) != len(tt.problems) {
				t.Fatalf("problems %+v, want %d", ps, len(tt.problems))
			}
			for i, p := range ps {
				if !strings.Contains(p.Message, tt.problems[i]) || p.Fix == "" || p.Field == "" {
					t.Errorf("problem %d = %+v, want %q with a field and a fix", i, p, tt.problems[i])
				}
			}
		})
	}
}
