package deploy_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// The main module's Go sources, whose metric declarations are the truth the
// dashboard and alerts are checked against. They are read at test time, not
// listed here, so a metric added or renamed on another branch is seen.
var metricSourceRoots = []string{"../internal", "../cmd"}

const promPkg = "github.com/prometheus/client_golang/prometheus"

// exportedSeries returns every series name the service can expose, each
// with where it is declared: the names in prometheus.*Opts literals and
// NewDesc calls (with a histogram's _bucket, _sum and _count, a summary's
// _sum and _count), plus the Go and process collectors' own series when the
// sources register them.
func exportedSeries(t *testing.T) map[string]string {
	t.Helper()
	return seriesUnder(t, metricSourceRoots)
}

func seriesUnder(t *testing.T, roots []string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, sources, err := parseSources(fset, roots)
	if err != nil {
		t.Fatalf("reading the metric declarations: %v", err)
	}
	out := map[string]string{}
	for _, files := range pkgs {
		consts := map[string]string{} // a package's constants, from all its files
		for _, f := range files {
			maps.Copy(consts, stringConsts(f))
		}
		for _, f := range files {
			decls, err := fileDecls(fset, f, consts)
			if err != nil {
				t.Fatalf("reading the metric declarations: %v", err)
			}
			maps.Copy(out, decls)
		}
	}
	for name := range collectorSeries(t, sources) {
		out[name] = "client_golang collectors"
	}
	return out
}

// parseSources parses the non-test Go files under roots, grouped by
// directory (package), and returns their text too.
func parseSources(fset *token.FileSet, roots []string) (map[string][]*ast.File, string, error) {
	pkgs := map[string][]*ast.File{}
	var sources strings.Builder
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sources.Write(b)
			f, err := parser.ParseFile(fset, path, b, 0)
			pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
			return err
		})
		if err != nil {
			return nil, "", err
		}
	}
	return pkgs, sources.String(), nil
}

// metricDecls parses one Go file, alone, and returns the series it declares.
func metricDecls(path string, src []byte) (map[string]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return nil, err
	}
	return fileDecls(fset, f, stringConsts(f))
}

// fileDecls returns the series f declares, resolving names through consts.
// A declaration whose name is not a constant string is an error: it would
// escape the check.
func fileDecls(fset *token.FileSet, f *ast.File, consts map[string]string) (map[string]string, error) {
	pkg := importName(f, promPkg)
	if pkg == "" {
		return nil, nil
	}
	out := map[string]string{}
	var bad error
	ast.Inspect(f, func(n ast.Node) bool {
		name, kind, ok := metricDecl(n, pkg, consts)
		if !ok {
			return true
		}
		pos := fset.Position(n.Pos()).String()
		if name == "" {
			bad = fmt.Errorf("%s: a metric whose name is not a constant string; name it with string literals or constants", pos)
			return false
		}
		for _, suffix := range seriesSuffixes[kind] {
			out[name+suffix] = pos
		}
		return true
	})
	return out, bad
}

// seriesSuffixes are the series one metric of each kind is exposed as.
var seriesSuffixes = map[string][]string{
	"HistogramOpts": {"", "_bucket", "_sum", "_count"},
	"SummaryOpts":   {"", "_sum", "_count"},
	"":              {""},
}

// metricDecl recognises pkg.XxxOpts{...} literals and pkg.NewDesc(...)
// calls; name is "" when it is not a constant.
func metricDecl(n ast.Node, pkg string, consts map[string]string) (name, kind string, ok bool) {
	switch n := n.(type) {
	case *ast.CompositeLit:
		sel, isSel := n.Type.(*ast.SelectorExpr)
		if !isSel || !isPkg(sel.X, pkg) || !strings.HasSuffix(sel.Sel.Name, "Opts") || sel.Sel.Name == "ProcessCollectorOpts" {
			return "", "", false
		}
		parts := map[string]string{}
		for _, e := range n.Elts {
			kv, isKV := e.(*ast.KeyValueExpr)
			key, isIdent := kv.Key.(*ast.Ident)
			if isKV && isIdent {
				v, isConst := constString(kv.Value, pkg, consts)
				if !isConst {
					v = "\x00" // not constant: reported below
				}
				parts[key.Name] = v
			}
		}
		if parts["Namespace"]+parts["Subsystem"]+parts["Name"] == "" {
			return "", "", false // a wrapper such as CounterVecOpts: its CounterOpts is seen on its own
		}
		name = prometheus.BuildFQName(parts["Namespace"], parts["Subsystem"], parts["Name"])
		kind = sel.Sel.Name
		if _, known := seriesSuffixes[kind]; !known {
			kind = ""
		}
	case *ast.CallExpr:
		sel, isSel := n.Fun.(*ast.SelectorExpr)
		if !isSel || !isPkg(sel.X, pkg) || sel.Sel.Name != "NewDesc" || len(n.Args) == 0 {
			return "", "", false
		}
		name, _ = constString(n.Args[0], pkg, consts)
	default:
		return "", "", false
	}
	if strings.Contains(name, "\x00") {
		name = ""
	}
	return name, kind, true
}

// constString evaluates a string literal, a constant, a concatenation or a
// pkg.BuildFQName call.
func constString(e ast.Expr, pkg string, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, err == nil && e.Kind == token.STRING
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return constString(e.X, pkg, consts)
	case *ast.BinaryExpr:
		l, lok := constString(e.X, pkg, consts)
		r, rok := constString(e.Y, pkg, consts)
		return l + r, lok && rok && e.Op == token.ADD
	case *ast.CallExpr:
		sel, isSel := e.Fun.(*ast.SelectorExpr)
		if !isSel || !isPkg(sel.X, pkg) || sel.Sel.Name != "BuildFQName" || len(e.Args) != 3 {
			return "", false
		}
		var parts [3]string
		for i, a := range e.Args {
			s, ok := constString(a, pkg, consts)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return prometheus.BuildFQName(parts[0], parts[1], parts[2]), true
	}
	return "", false
}

// stringConsts are the file's constants with a literal string value.
func stringConsts(f *ast.File) map[string]string {
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range vs.Names {
			if i < len(vs.Values) {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					out[id.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
		return true
	})
	return out
}

func importName(f *ast.File, path string) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return filepath.Base(path)
		}
	}
	return ""
}

func isPkg(e ast.Expr, pkg string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == pkg
}

// collectorSeries gathers the series of client_golang's Go and process
// collectors, as their default options expose them, when the sources
// register them.
func collectorSeries(t *testing.T, sources string) map[string]bool {
	t.Helper()
	reg := prometheus.NewRegistry()
	if strings.Contains(sources, "collectors.NewGoCollector(") {
		reg.MustRegister(collectors.NewGoCollector())
	}
	if strings.Contains(sources, "collectors.NewProcessCollector(") {
		reg.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, mf := range families {
		out[mf.GetName()] = true
		kind := map[string]string{"HISTOGRAM": "HistogramOpts", "SUMMARY": "SummaryOpts"}[mf.GetType().String()]
		for _, suffix := range seriesSuffixes[kind] {
			out[mf.GetName()+suffix] = true
		}
	}
	return out
}

func TestMetricDecls(t *testing.T) {
	const header = "package p\nimport (\n\tprom \"github.com/prometheus/client_golang/prometheus\"\n)\nconst ns = \"cohortbot\"\n"
	tests := []struct {
		name    string
		body    string
		want    []string
		wantErr bool
	}{
		{name: "Name only", body: `var _ = prom.NewCounter(prom.CounterOpts{Name: "cohortbot_x_total", Help: "h"})`,
			want: []string{"cohortbot_x_total"}},
		{name: "namespace, subsystem and name", body: `var _ = prom.NewCounterVec(prom.CounterOpts{Namespace: ns, Subsystem: "webhook", Name: "bytes_total"}, nil)`,
			want: []string{"cohortbot_webhook_bytes_total"}},
		{name: "histogram series", body: `var _ = prom.NewHistogram(prom.HistogramOpts{Name: ns + "_intake_seconds"})`,
			want: []string{"cohortbot_intake_seconds", "cohortbot_intake_seconds_bucket", "cohortbot_intake_seconds_count", "cohortbot_intake_seconds_sum"}},
		{name: "NewDesc with BuildFQName", body: `var _ = prom.NewDesc(prom.BuildFQName(ns, "db", "up"), "h", nil, nil)`,
			want: []string{"cohortbot_db_up"}},
		{name: "computed name", body: `func f(n string) { prom.NewGauge(prom.GaugeOpts{Name: n}) }`, wantErr: true},
		{name: "Vec options wrap the counter's", body: `var _ = prom.V2.NewCounterVec(prom.CounterVecOpts{CounterOpts: prom.CounterOpts{Name: "cohortbot_y_total"}})`,
			want: []string{"cohortbot_y_total"}},
		{name: "not a metric", body: `type Opts struct{ Name string }; var _ = Opts{Name: "x"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			decls, err := metricDecls("x.go", []byte(header+tc.body+"\n"))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			got := make([]string, 0, len(decls))
			for name := range decls {
				got = append(got, name)
			}
			sort.Strings(got)
			if d := cmp.Diff(tc.want, got, cmpEmpty); d != "" {
				t.Errorf("series (-want +got):\n%s", d)
			}
		})
	}
}

// TestSeriesAcrossFiles reads a package whose metric takes its namespace
// from a constant in another file, and a test file that must not count.
func TestSeriesAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"p/names.go":   "package p\nconst namespace = \"cohortbot\"\n",
		"p/metrics.go": "package p\nimport \"github.com/prometheus/client_golang/prometheus\"\nvar _ = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: \"db_up\"})\n",
		"p/x_test.go":  "package p\nimport \"github.com/prometheus/client_golang/prometheus\"\nvar _ = prometheus.GaugeOpts{Name: \"test_only\"}\n",
	}
	for name, src := range files {
		if err := os.MkdirAll(filepath.Join(dir, "p"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for name := range seriesUnder(t, []string{dir}) {
		got = append(got, name)
	}
	if d := cmp.Diff([]string{"cohortbot_db_up"}, got); d != "" {
		t.Errorf("series (-want +got):\n%s", d)
	}
}

// cmpEmpty treats nil and empty slices alike.
var cmpEmpty = cmp.Transformer("nonil", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

// TestExportedSeriesFound guards the reader itself: the main module declares
// metrics, so finding none (a moved directory, a changed idiom) is a bug.
func TestExportedSeriesFound(t *testing.T) {
	series := exportedSeries(t)
	var own int
	for name := range series {
		if strings.HasPrefix(name, "cohortbot_") {
			own++
		}
	}
	if own == 0 {
		t.Fatalf("found no cohortbot_ metric in %v", metricSourceRoots)
	}
}
