package command

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/google/go-cmp/cmp"
)

func TestReplyRender(t *testing.T) {
	roster := []string{"mia", "mentor-ann"}
	tests := []struct {
		name    string
		d       replyDoc
		want    []string
		mention []string
	}{
		{name: "one answer",
			d:       replyDoc{author: "eve", body: "/graduate @mia", parts: []replyPart{{raw: "/graduate @mia", why: "only mentors may."}}},
			want:    []string{"@eve: only mentors may.\n\n<details>", "> `/graduate @mia`"},
			mention: []string{"eve"}},
		{name: "several answers and the ignored ones",
			d: replyDoc{author: "eve", body: strings.Repeat("/away\n", 13),
				parts:   []replyPart{{raw: "/away", why: "no."}, {raw: "/away", why: "two\nlines"}},
				ignored: []cohort.Command{{Raw: "/away"}, {Raw: "/away"}, {Raw: "/away"}}},
			want:    []string{"\n- `/away`: no.\n- `/away`: two\n  lines\n", "so these were ignored: `/away`, `/away`, `/away`."},
			mention: []string{"eve"}},
		{name: "the same answer to the same command once, counted",
			d: replyDoc{author: "eve", parts: []replyPart{{raw: "/graduate @mia", why: "no."}, {raw: "/away", why: "no."},
				{raw: "/graduate @mia", why: "no."}}},
			want:    []string{"\n- `/graduate @mia` (2 times): no.\n- `/away`: no.\n"},
			mention: []string{"eve"}},
		{name: "a roster member named keeps the mention",
			d:       replyDoc{author: "olivia", parts: []replyPart{{why: "@mia has already withdrawn."}}},
			mention: []string{"olivia", "mia"}},
		{name: "a stranger named is not mentioned",
			d:       replyDoc{author: "olivia", parts: []replyPart{{why: "\"@everyone\" is not a handle; @mia"}}},
			want:    []string{"\"\uff20everyone\" is not a handle; @mia"},
			mention: []string{"olivia", "mia"}},
		{name: "an entity of @ is defused with the rest",
			d:       replyDoc{author: "olivia", parts: []replyPart{{why: "&#64;vera and @mia"}}},
			want:    []string{"&amp;#64;vera and \uff20mia"},
			mention: []string{"olivia"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.d.allowed = append([]string{tc.d.author}, roster...)
			got := tc.d.text()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
			if diff := cmp.Diff(tc.mention, cohort.Mentions(got)); diff != "" {
				t.Errorf("mentions (-want +got):\n%s\n%s", diff, got)
			}
		})
	}
}

// FuzzReply: whatever a comment holds, and however its text reaches the
// answers (echoed, or pasted raw by a careless refusal), the one reply
// mentions nobody but its author and the roster, and fits GitHub's 65,536
// characters.
func FuzzReply(f *testing.F) {
	for _, s := range []string{"/checkin ```@a @b", "@x `` @y", "```\n@z\n", "\\`@q`", strings.Repeat("@w ", 3000), "<a>@v</a>", "&#64;u"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, body, arg string) {
		if !utf8.ValidString(body) || !utf8.ValidString(arg) {
			return
		}
		cmds, _ := cohort.ParseCommandsLimit(body, cohort.MaxCommandLines)
		_, ignored := SelectCommands(cmds, false)
		d := replyDoc{author: "eve", url: "https://github.com/o/r/issues/1#issuecomment-1", body: body, ignored: ignored,
			allowed: []string{"eve", "mia", "mentor-ann"}}
		d.parts = append(d.parts, replyPart{raw: body, why: cohort.Echo(arg) + " is not a GitHub handle."},
			replyPart{raw: arg, why: "`" + arg + "` is not a link; @mia"}, replyPart{raw: arg, why: arg})
		for _, c := range cmds {
			d.parts = append(d.parts, replyPart{raw: c.Raw, why: strings.Join(c.Args, " ")})
		}
		got := d.text()
		for _, m := range cohort.Mentions(got) {
			if !containsFold(d.allowed, m) {
				t.Fatalf("reply mentions @%s:\n%s", m, got)
			}
		}
		if len(got) > 65536-100 {
			t.Fatalf("reply of %d bytes", len(got))
		}
	})
}
