package cohort

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestMentions(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want []string
	}{
		{name: "plain", md: "@alice: hi @Bob and @org/team-x.", want: []string{"alice", "bob", "org/team-x"}},
		{name: "not after a word character", md: "mail a@b.org, x_@carol", want: nil},
		{name: "after punctuation", md: "(@dave) -@erin", want: []string{"dave", "erin"}},
		{name: "inline code", md: "`@alice` and ``a ` @bob`` but @carol", want: []string{"carol"}},
		{name: "unclosed backtick run is text", md: "x ``` @alice", want: []string{"alice"}},
		{name: "escaped backtick opens nothing", md: "\\`@alice`", want: []string{"alice"}},
		{name: "fenced block", md: "```\n@alice\n```\n@bob", want: []string{"bob"}},
		{name: "unclosed fence runs to the end", md: "~~~\n@alice\n@bob", want: nil},
		{name: "indented code", md: "text\n\n    @alice", want: nil},
		{name: "entity", md: "&#64;alice", want: []string{"alice"}},
		{name: "full-width at sign", md: "\uff20alice", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Mentions(tc.md)); diff != "" {
				t.Errorf("Mentions(%q) (-want +got):\n%s", tc.md, diff)
			}
		})
	}
}

func TestEcho(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "word", in: "@bob-", want: "`@bob-`"},
		{name: "backticks inside", in: "a`b", want: "``a`b``"},
		{name: "opens a fence", in: "```\n@everyone", want: "```` ``` @everyone ````"},
		{name: "blank", in: " \n ", want: "(blank)"},
		{name: "long", in: strings.Repeat("x", 150), want: "`" + strings.Repeat("x", 99) + "…`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Echo(tc.in); got != tc.want {
				t.Errorf("Echo(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzEcho: whatever the user wrote, an echo of it inside bot prose
// mentions nobody, stays on one line and repeats at most MaxEcho
// characters of it.
func FuzzEcho(f *testing.F) {
	for _, s := range []string{"@a", "```\n@a @b", "`` @a", "\\`@a`", "x`y``z```@q", " ` ", "<code>@a</code>", "&#64;a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		e := Echo(s)
		md := "@author: " + e + " is not a handle; " + e + "\n\n> " + e + "\n- " + e + " ok"
		if diff := cmp.Diff([]string{"author"}, Mentions(md)); diff != "" {
			t.Fatalf("echo of %q = %q mentions (-want +got):\n%s", s, e, diff)
		}
		if strings.ContainsAny(e, "\r\n") {
			t.Fatalf("echo %q spans lines", e)
		}
		if n := utf8.RuneCountInString(e); n > 3*MaxEcho {
			t.Fatalf("echo of %d characters", n)
		}
	})
}
