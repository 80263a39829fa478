package cohort

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommands(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []Command
	}{
		{name: "one command", body: "/checkin", want: []Command{{Name: "checkin", Line: 1, Raw: "/checkin"}}},
		{name: "args and CRLF", body: "thanks!\r\n  /graduate @alice https://x/pr/1 \r\n/away 2", want: []Command{
			{Name: "graduate", Args: []string{"@alice", "https://x/pr/1"}, Line: 2, Raw: "/graduate @alice https://x/pr/1"},
			{Name: "away", Args: []string{"2"}, Line: 3, Raw: "/away 2"},
		}},
		{name: "upper case and misspelt names kept", body: "/CheckIn\n/checkin: done\n/check_in", want: []Command{
			{Name: "checkin", Line: 1, Raw: "/CheckIn"},
			{Name: "checkin:", Args: []string{"done"}, Line: 2, Raw: "/checkin: done"},
			{Name: "check_in", Line: 3, Raw: "/check_in"},
		}},
		{name: "fenced code", body: "```\n/checkin\n```\n~~~~ sh\n/away\n~~~\n~~~~\n/pass", want: []Command{{Name: "pass", Line: 8, Raw: "/pass"}}},
		{name: "unclosed fence hides the rest", body: "```go\n/checkin"},
		{name: "backtick fence closed by longer fence", body: "```\n/away\n`````\n/pass", want: []Command{{Name: "pass", Line: 4, Raw: "/pass"}}},
		{name: "indented code", body: "    /checkin\n\t/away\n   /pass", want: []Command{{Name: "pass", Line: 3, Raw: "/pass"}}},
		{name: "HTML comment across lines", body: "<!--\n/checkin\n-->\n<!-- /away -->\n/pass <!-- why -->", want: []Command{{Name: "pass", Line: 5, Raw: "/pass"}}},
		{name: "block quote", body: "> /checkin\n>/away\n/pass", want: []Command{{Name: "pass", Line: 3, Raw: "/pass"}}},
		{name: "not commands", body: "see /checkin\n/\n/ checkin\n//checkin\n/123\n- /checkin"},
		{name: "comment opener in a fence is code", body: "```\n<!--\n```\n/pass", want: []Command{{Name: "pass", Line: 4, Raw: "/pass"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ParseCommands(tc.body)); diff != "" {
				t.Errorf("ParseCommands(%q) mismatch (-want +got):\n%s", tc.body, diff)
			}
		})
	}
}

func TestParseCommandsLimit(t *testing.T) {
	body := strings.Repeat("/away\n", MaxCommands+1)
	cmds, truncated := ParseCommandsLimit(body, MaxCommands)
	if len(cmds) != MaxCommands || !truncated {
		t.Errorf("ParseCommandsLimit() = %d commands, truncated %v; want %d, true", len(cmds), truncated, MaxCommands)
	}
	if got := ParseCommands(body); len(got) != MaxCommands {
		t.Errorf("ParseCommands() = %d commands, want %d", len(got), MaxCommands)
	}
	if _, truncated := ParseCommandsLimit(strings.Repeat("/away\n", MaxCommands), MaxCommands); truncated {
		t.Error("exactly MaxCommands commands reported as truncated")
	}
}

// specNames are the commands of SPEC §5, as the bot's registry declares
// them: Misspelling is given the names, this package declares none.
var specNames = []string{
	"checkin", "graduate", "withdraw", "add-mentee", "remove-mentee", "add-mentor",
	"remove-mentor", "away", "skip-week", "extend", "close-cohort", "reassign",
	"pass", "task-cohort", "cohort-help",
}

func TestMisspelling(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "hyphenated", in: "check-in", want: "checkin"},
		{name: "colon", in: "checkin:", want: "checkin"},
		{name: "underscore", in: "check_in", want: "checkin"},
		{name: "missing letter", in: "chekin", want: "checkin"},
		{name: "plural", in: "checkins", want: "checkin"},
		{name: "past tense", in: "graduated", want: "graduate"},
		{name: "swapped letters", in: "graudate", want: "graduate"},
		{name: "with slash and case", in: "/Close_Cohort", want: "close-cohort"},
		{name: "no hyphen", in: "addmentee", want: "add-mentee"},
		{name: "typo in long name", in: "remove-mentr", want: "remove-mentor"},
		{name: "exact name is no misspelling", in: "checkin"},
		{name: "ambiguous", in: "add-mentoe"},
		{name: "Prow unassign", in: "unassign"},
		{name: "Prow assign", in: "assign"},
		{name: "Prow area", in: "area"},
		{name: "Prow hold", in: "hold"},
		{name: "Prow retest", in: "retest"},
		{name: "Prow lgtm", in: "lgtm"},
		{name: "Prow help", in: "help"},
		{name: "Prow close", in: "close"},
		{name: "empty", in: "-:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Misspelling(tc.in, specNames)
			if diff := cmp.Diff(fmt.Sprint(tc.want, " ", tc.want != ""), fmt.Sprint(got, " ", ok)); diff != "" {
				t.Errorf("Misspelling(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestCommandValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{{"checkin", true}, {"add-mentee", true}, {"a1", true}, {"checkin:", false}, {"check_in", false}, {"", false}, {"1a", false}, {"Checkin", false}} {
		if got := (Command{Name: tc.name}).Valid(); got != tc.want {
			t.Errorf("Command{Name: %q}.Valid() = %v, want %v", tc.name, got, tc.want)
		}
	}
}
