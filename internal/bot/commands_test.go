package bot

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files and the README's command table")

func TestEveryCommandIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Commands {
		t.Run(c.Name, func(t *testing.T) {
			if seen[c.Name] {
				t.Errorf("command %s declared twice", c.Name)
			}
			seen[c.Name] = true
			if c.Example == "" || c.Usage == "" || c.Who == "" || c.Summary == "" || len(c.Where) == 0 {
				t.Errorf("command %s lacks usage, example, who, where or summary: %+v", c.Name, c)
			}
			if !strings.HasPrefix(c.Usage, "/"+c.Name) || !strings.HasPrefix(c.Example, "/"+c.Name) {
				t.Errorf("usage %q / example %q do not start with /%s", c.Usage, c.Example, c.Name)
			}
		})
	}
}

// TestREADMECommandTable keeps the README's command table generated from the
// command table (go test ./internal/bot -run README -update rewrites it).
func TestREADMECommandTable(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- commands:begin -->\n", "<!-- commands:end -->"
	text := string(b)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README lacks the %q … %q markers", begin, end)
	}
	want := ReadmeCommandTable()
	got := text[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		os.WriteFile(path, []byte(text[:i+len(begin)]+want+text[j:]), 0o644)
		return
	}
	t.Errorf("README command table is out of date (run go test ./internal/bot -run README -update):\n%s", cmp.Diff(want, got))
}
