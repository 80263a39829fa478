package cohort

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCheckin(t *testing.T) {
	required := []string{"Accomplishments", "Challenges"}
	optional := []string{"Next steps"}
	tests := []struct {
		name        string
		body        string
		want        map[string]string
		wantMissing []string
	}{{
		name: "colon lines",
		body: "/checkin\nAccomplishments: reviewed 3 PRs\nand a doc\n\nChallenges:\n  flaky CI\nNext steps: more",
		want: map[string]string{"Accomplishments": "reviewed 3 PRs\nand a doc", "Challenges": "flaky CI", "Next steps": "more"},
	}, {
		name: "headings any level, case-insensitive, CRLF",
		body: "/checkin @bob\r\n## accomplishments\r\n- one\r\n- two\r\n#### CHALLENGES ####\r\nnone\r\n",
		want: map[string]string{"Accomplishments": "- one\n- two", "Challenges": "none"},
	}, {
		name: "bold labels and list items",
		body: "/checkin\n**Accomplishments:** merged\n- **Challenges**: time",
		want: map[string]string{"Accomplishments": "merged", "Challenges": "time"},
	}, {
		name:        "empty section is missing",
		body:        "/checkin\nAccomplishments:\n<!-- what did you do? -->\nChallenges: none",
		want:        map[string]string{"Challenges": "none"},
		wantMissing: []string{"Accomplishments"},
	}, {
		name:        "only a command",
		body:        "/checkin",
		want:        map[string]string{},
		wantMissing: []string{"Accomplishments", "Challenges"},
	}, {
		name:        "code fence respected",
		body:        "/checkin\nAccomplishments:\n```\nChallenges: not a section\n```",
		want:        map[string]string{"Accomplishments": "```\nChallenges: not a section\n```"},
		wantMissing: []string{"Challenges"},
	}, {
		name: "other commands are not text; repeated section joined",
		body: "Accomplishments: a\n/away 1\nChallenges: b\nAccomplishments: c",
		want: map[string]string{"Accomplishments": "a\n\nc", "Challenges": "b"},
	}, {
		name:        "label without colon is text",
		body:        "/checkin\nAccomplishments\nChallenges is a word",
		want:        map[string]string{},
		wantMissing: []string{"Accomplishments", "Challenges"},
	}, {
		name: "unknown labels stay in the current section",
		body: "Accomplishments: x\nNote: y\nChallenges: z",
		want: map[string]string{"Accomplishments": "x\nNote: y", "Challenges": "z"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, missing := ParseCheckin(tc.body, required, optional)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sections mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantMissing, missing); diff != "" {
				t.Errorf("missing mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
