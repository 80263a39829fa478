package templates

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReplaceMenteeAbout: the "about" region is replaced wherever it is; an
// issue from before the region has its two bot-written paragraphs replaced
// (and made the region) only while they are exactly as written, with CRLF
// kept; anything else is left alone.
func TestReplaceMenteeAbout(t *testing.T) {
	const (
		greeting = "Hi @mia, this is your tracking issue for **C** (aiming for **Reviewer**), from 2027-01-11 to 2027-03-21. The cohort's hub is #2."
		paired   = "**Paired mentor:** @ann"
		about    = "Hi @mia, … to 2027-04-04 …\n\n**Paired mentor:** any of @ann, @ben"
		region   = "<!-- cohortbot:begin about -->\n" + about + "\n<!-- cohortbot:end about -->"
	)
	legacy := "<!-- cohortbot:mentee cohort=1 handle=mia -->\n" + greeting + "\n\n" + paired + "\n\nMy goal.\n\n## Checking in\n"
	tests := []struct {
		name, body, want string
		ok               bool
	}{
		{name: "region", body: "x\n<!-- cohortbot:begin about -->\nold\n<!-- cohortbot:end about -->\ny", want: "x\n" + region + "\ny", ok: true},
		{name: "legacy", body: legacy, ok: true,
			want: "<!-- cohortbot:mentee cohort=1 handle=mia -->\n" + region + "\n\nMy goal.\n\n## Checking in\n"},
		{name: "legacy with CRLF", body: strings.ReplaceAll(legacy, "\n", "\r\n"), ok: true,
			want: strings.ReplaceAll("<!-- cohortbot:mentee cohort=1 handle=mia -->\n"+region+"\n\nMy goal.\n\n## Checking in\n", "\n", "\r\n")},
		{name: "legacy greeting reworded", body: strings.Replace(legacy, "Hi @mia, this is your", "Hi, my", 1)},
		{name: "legacy of another mentee", body: strings.ReplaceAll(legacy, "@mia", "@noah")},
		{name: "legacy paragraphs apart", body: strings.Replace(legacy, "\n\n"+paired, "\n\nMy goal.\n\n"+paired, 1)},
		{name: "nothing", body: "a person's own text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ReplaceMenteeAbout(tc.body, "mia", about)
			if !tc.ok {
				tc.want = tc.body
			}
			if ok != tc.ok {
				t.Errorf("ok = %v, want %v", ok, tc.ok)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
		})
	}
}
