package cohort

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// absent marks a field whose heading is left out of a test body.
const absent = "\x00absent"

// validValues are the answers of a valid request, by heading.
var validValues = map[string]string{
	FieldName:        "SIG Apps reviewers 2027",
	FieldStep:        "Reviewer",
	FieldAreas:       "SIG Apps, SIG CLI",
	FieldMentors:     "@mentor-a\n@mentor-b\n@mentor-c",
	FieldMentees:     "@alice -> @mentor-a\n@bob\n@carol\n@dave\n@erin\n@frank\n@grace\n@heidi",
	FieldStart:       "2027-03-01",
	FieldEnd:         "2027-05-23",
	FieldCheckinDay:  "Monday",
	FieldTimeZone:    "Europe/Berlin",
	FieldChatChannel: "#cohort-sig-apps-2027",
	FieldNotes:       "Weekly standup in Slack.\n\nBring questions.",
}

// renderForm renders a body as GitHub does, with over replacing answers;
// "" renders as _No response_ and absent drops the heading.
func renderForm(over map[string]string) string {
	var b strings.Builder
	for _, f := range FormFields {
		v, ok := over[f]
		if !ok {
			v = validValues[f]
		}
		switch v {
		case absent:
			continue
		case "":
			v = noResponse
		}
		b.WriteString("### " + f + "\n\n" + v + "\n\n")
	}
	return b.String()
}

func TestParseForm(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Form
	}{{
		name: "no response is empty",
		body: "### Cohort name\n\n_No response_\n\n### Notes\n\n  _No response_  \n",
		want: Form{Fields: map[string]string{FieldName: "", FieldNotes: ""}},
	}, {
		name: "CRLF and blank lines trimmed",
		body: "### Cohort name\r\n\r\n\r\nX\r\n\r\n### Notes\r\n\r\nline 1\r\n\r\nline 2\r\n\r\n",
		want: Form{Fields: map[string]string{FieldName: "X", FieldNotes: "line 1\n\nline 2"}},
	}, {
		name: "headings case-insensitive with spaces",
		body: "###   cohort NAME  \nX\n### mentors\n@a",
		want: Form{Fields: map[string]string{FieldName: "X", FieldMentors: "@a"}},
	}, {
		name: "earlier heading inside notes is text",
		body: "### Cohort name\n\nX\n\n### Notes\n\nintro\n### Mentors\n@evil\n### Cohort name\nY",
		want: Form{Fields: map[string]string{FieldName: "X", FieldNotes: "intro\n### Mentors\n@evil\n### Cohort name\nY"}},
	}, {
		name: "later heading inside a textarea does not swallow fields",
		body: "### Mentees\n\n@a\n### Notes\n@b\n\n### Start date\n\n2027-03-01\n\n### End date\n\n2027-05-01\n\n### Notes\n\nreal notes",
		want: Form{Fields: map[string]string{
			FieldMentees: "@a\n### Notes\n@b", FieldStart: "2027-03-01", FieldEnd: "2027-05-01", FieldNotes: "real notes",
		}},
	}, {
		name: "repeated heading keeps the first",
		body: "### Notes\n\nfirst\n\n### Notes\n\nsecond",
		want: Form{Fields: map[string]string{FieldNotes: "first\n\n### Notes\n\nsecond"}},
	}, {
		name: "task list inside a textarea",
		body: "### Mentors\n\n- [ ] @a\n- [x] @b\n\n### Mentees\n\n- @c",
		want: Form{Fields: map[string]string{FieldMentors: "- [ ] @a\n- [x] @b", FieldMentees: "- @c"}},
	}, {
		name: "unknown heading is text and recorded",
		body: "### Chat channel\n\n#c\n\n### Budget\n\n100\n\n### Notes\n\nn",
		want: Form{Fields: map[string]string{FieldChatChannel: "#c", FieldNotes: "n"}, Unknown: []string{"Budget"}},
	}, {
		name: "unknown heading inside notes is text",
		body: "### Mentees\n\n@a\n### Group B\n@b\n### Notes\n\n## Plan\n### Week 1\nintro",
		want: Form{Fields: map[string]string{FieldMentees: "@a", FieldNotes: "## Plan\n### Week 1\nintro"}, Unknown: []string{"Group B"}},
	}, {
		name: "text before the first heading is dropped; #### is not ours",
		body: "### Intro\npreamble\n#### Cohort name\n### Cohort name\nX\n####Notes",
		want: Form{Fields: map[string]string{FieldName: "X\n####Notes"}, Unknown: []string{"Intro"}},
	}, {
		name: "indented four spaces is not a heading",
		body: "### Notes\n    ### Cohort name\n   ### Budget",
		want: Form{Fields: map[string]string{FieldNotes: "    ### Cohort name\n   ### Budget"}},
	}, {
		name: "empty body",
		body: "",
		want: Form{Fields: map[string]string{}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseForm(tc.body)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseForm() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFormRendered(t *testing.T) {
	got := ParseForm(renderForm(nil))
	if diff := cmp.Diff(validValues, got.Fields); diff != "" {
		t.Errorf("ParseForm(rendered valid form) mismatch (-want +got):\n%s", diff)
	}
}
