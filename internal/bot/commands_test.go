package bot

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files and the README's command table")

// TestEveryCommandIsComplete: every entry of the registry declares each
// part — name, usage, example, summary, where, who and its code — since a
// command without one would ship without docs, reachable by nobody, or
// answering nothing.
func TestEveryCommandIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Commands {
		t.Run(c.Name, func(t *testing.T) {
			if seen[c.Name] {
				t.Errorf("command %s declared twice", c.Name)
			}
			seen[c.Name] = true
			if problems := incomplete(c); len(problems) > 0 {
				t.Errorf("command %q lacks %s", c.Name, strings.Join(problems, ", "))
			}
		})
	}
}

// incomplete names the parts a declaration lacks or gets wrong.
func incomplete(c command.Command) []string {
	var out []string
	check := func(ok bool, part string) {
		if !ok {
			out = append(out, part)
		}
	}
	check(cohort.Command{Name: c.Name}.Valid(), "a valid name")
	check(strings.HasPrefix(c.Usage, "/"+c.Name), "a usage starting with its name")
	check(strings.HasPrefix(c.Example, "/"+c.Name), "an example starting with its name")
	check(c.Summary != "", "a summary")
	check(len(c.Where) > 0, "where")
	for _, w := range c.Where {
		check(w == command.OnHub || w == command.OnMentee || w == command.OnTask || w == command.OnAny, "a known where ("+w+")")
	}
	check(c.Who != 0 && c.Who&^command.AllRoles == 0, "who")
	check(c.Run != nil, "run")
	return out
}

// TestIncompleteDeclarations: the check above does catch each missing part.
func TestIncompleteDeclarations(t *testing.T) {
	full := command.Command{Name: "x", Usage: "/x", Example: "/x", Summary: "s", Where: []string{command.OnHub}, Who: command.Anyone, Run: command.RunHelp}
	tests := []struct {
		name   string
		change func(*command.Command)
		want   []string
	}{
		{name: "complete", change: func(*command.Command) {}},
		{name: "no name", change: func(c *command.Command) { c.Name = "" }, want: []string{"a valid name"}},
		{name: "no usage", change: func(c *command.Command) { c.Usage = "" }, want: []string{"a usage starting with its name"}},
		{name: "no example", change: func(c *command.Command) { c.Example = "" }, want: []string{"an example starting with its name"}},
		{name: "no summary", change: func(c *command.Command) { c.Summary = "" }, want: []string{"a summary"}},
		{name: "no where", change: func(c *command.Command) { c.Where = nil }, want: []string{"where"}},
		{name: "unknown where", change: func(c *command.Command) { c.Where = []string{"wiki"} }, want: []string{"a known where (wiki)"}},
		{name: "no who", change: func(c *command.Command) { c.Who = 0 }, want: []string{"who"}},
		{name: "no run", change: func(c *command.Command) { c.Run = nil }, want: []string{"run"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := full
			tc.change(&c)
			if d := cmp.Diff(tc.want, incomplete(c)); d != "" {
				t.Errorf("incomplete (-want +got):\n%s", d)
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
