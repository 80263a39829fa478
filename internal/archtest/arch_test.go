// Package archtest holds the checks that keep the tree's shape: file and
// function sizes, and which layer may import which (docs/ARCHITECTURE.md).
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const (
	module      = "github.com/cohortbot/cohortbot"
	maxFileLen  = 400
	maxFuncLen  = 60
	rootFromPkg = "../.."
)

// sources parses every non-test Go file of the module.
func sources(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	fset, files := token.NewFileSet(), map[string]*ast.File{}
	err := filepath.WalkDir(rootFromPkg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != rootFromPkg || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		full, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(rootFromPkg, p)
		files[filepath.ToSlash(rel)] = full
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found only %d source files: walking the wrong tree?", len(files))
	}
	return fset, files
}

// TestSizes: no source file over 400 lines, no function over 60 (issue 14):
// a reader takes in one file or one function at a time.
func TestSizes(t *testing.T) {
	fset, files := sources(t)
	for name, f := range files {
		if n := fset.Position(f.End()).Line; n > maxFileLen {
			b, _ := os.ReadFile(filepath.Join(rootFromPkg, name))
			if lines := strings.Count(string(b), "\n"); lines > maxFileLen {
				t.Errorf("%s has %d lines (at most %d)", name, lines, maxFileLen)
			}
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1; n > maxFuncLen {
				t.Errorf("%s: func %s has %d lines (at most %d)", name, fd.Name.Name, n, maxFuncLen)
			}
		}
	}
}

// layers says which of the module's packages a package may import; a
// package not listed may import any. The pure core imports nothing of
// ours; the store only the core; the flows never the HTTP server, the
// queue or the pages.
var layers = map[string][]string{
	"internal/cohort":        {},
	"config":                 {"internal/cohort"},
	"templates":              {"internal/cohort"},
	"internal/ladder":        {"internal/cohort", "config"},
	"internal/waitlist":      {"internal/cohort", "templates"},
	"internal/store":         {"internal/cohort", "internal/waitlist"},
	"internal/gh":            {"internal/store", "internal/ladder", "internal/cohort"},
	"internal/bot/kernel":    flowBase,
	"internal/bot/command":   with(flowBase, "internal/bot/kernel"),
	"internal/bot/tasks":     with(flowBase, "internal/bot/kernel", "internal/bot/command"),
	"internal/bot/render":    with(flowBase, "internal/bot/kernel", "internal/bot/command", "internal/bot/tasks"),
	"internal/bot/checkin":   with(flowBase, "internal/bot/kernel", "internal/bot/command", "internal/bot/render"),
	"internal/bot/progress":  with(flowBase, "internal/bot/kernel", "internal/bot/command", "internal/bot/render"),
	"internal/bot/request":   with(flowBase, "internal/bot/kernel", "internal/bot/render"),
	"internal/bot/waitlists": with(flowBase, "internal/bot/kernel", "internal/bot/command"),
	"internal/bot/roster": with(flowBase, "internal/bot/kernel", "internal/bot/command", "internal/bot/render",
		"internal/bot/request", "internal/bot/tasks"),
	"internal/bot/schedule": with(flowBase, "internal/bot/kernel", "internal/bot/command", "internal/bot/render",
		"internal/bot/tasks", "internal/bot/checkin", "internal/bot/progress"),
	"internal/bot": with(flowBase, flowPackages...),
	"handlers":     with(flowBase, flowPackages...),
}

// flowBase is what every package of the flows may import: the pure
// rules, the config, the GitHub client and the store.
var flowBase = []string{"config", "internal/cohort", "internal/gh", "internal/store", "templates",
	"internal/ladder", "internal/waitlist"}

// flowPackages are the flows' packages under internal/bot: the kernel
// (env, effects, locks, labels, keys), the command registry, rendering and
// one package per flow.
var flowPackages = []string{"internal/bot", "internal/bot/kernel", "internal/bot/command", "internal/bot/render",
	"internal/bot/tasks", "internal/bot/checkin", "internal/bot/progress", "internal/bot/request",
	"internal/bot/waitlists", "internal/bot/roster", "internal/bot/schedule"}

func with(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}

// TestLayers: each package imports only the layers below it.
func TestLayers(t *testing.T) {
	_, files := sources(t)
	for name, f := range files {
		pkg := filepath.ToSlash(filepath.Dir(name))
		allowed, ruled := layers[pkg]
		if !ruled {
			continue
		}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			own, ok := strings.CutPrefix(path, module+"/")
			if !ok || own == pkg {
				continue
			}
			if !contains(allowed, own) {
				t.Errorf("%s imports %s; %s may import only %v (docs/ARCHITECTURE.md)", name, own, pkg, allowed)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
