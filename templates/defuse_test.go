package templates

import (
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

func TestDefuse(t *testing.T) {
	const wj = "\u2060"
	tests := []struct{ name, in, want string }{
		{"plain mention", "ask @alice", "ask @" + wj + "alice"},
		{"code span left alone", "e.g. `@octocat`, typed", "e.g. `@octocat`, typed"},
		{"double fence with a backtick inside", "``a ` @b`` and @c", "``a ` @b`` and @" + wj + "c"},
		{"unclosed backtick is text", "`@x and @y", "`@" + wj + "x and @" + wj + "y"},
		{"run of other length does not close", "``@x` @y", "``@" + wj + "x` @" + wj + "y"},
		{"no at sign", "`code` text", "`code` text"},
		{"escaped backtick opens nothing", "\\`@x\\`", "\\`@" + wj + "x\\`"},
		{"escaped backslash, then a span", "\\\\`@x`", "\\\\`@x`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := defuse(tc.in); got != tc.want {
				t.Errorf("defuse(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzDefuse: whatever the text, what defuse returns mentions nobody by
// GitHub's rules, and only adds word joiners.
func FuzzDefuse(f *testing.F) {
	for _, s := range []string{"@a `@b` @c", "``x`` @y ` @z", "\\`@a\\`", "```\n@a\n```", "`@a``@b`", "a@b @c-d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := defuse(s)
		if strings.ReplaceAll(got, "\u2060", "") != strings.ReplaceAll(s, "\u2060", "") {
			t.Fatalf("defuse(%q) changed more than word joiners: %q", s, got)
		}
		if m := cohort.Mentions(got); len(m) > 0 {
			t.Fatalf("defuse(%q) = %q still mentions %v", s, got, m)
		}
	})
}
