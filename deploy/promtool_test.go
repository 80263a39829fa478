package deploy_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPromtool runs Prometheus's own checks where promtool is installed
// (Debian: apt-get install prometheus): the rules parse, their unit tests in
// monitoring/alerts.promtool-test.yaml pass (each alert fires on the series
// the service exports, with its text), and every dashboard query parses.
// The other tests in this package check the same files without it.
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not on PATH; the rules' unit tests did not run")
	}
	dash := filepath.Join(t.TempDir(), "dashboard-rules.yaml")
	if err := os.WriteFile(dash, dashboardAsRules(t), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", "rules", "monitoring/alerts.yaml"},
		{"test", "rules", "monitoring/alerts.promtool-test.yaml"},
		{"check", "rules", dash},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// dashboardAsRules writes the dashboard's queries as recording rules, with
// Grafana's variables replaced by values, for promtool to parse.
func dashboardAsRules(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("monitoring/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	vars := strings.NewReplacer("$__rate_interval", "1m", "$__range", "1h", "$namespace", ".*")
	var out strings.Builder
	out.WriteString("groups:\n  - name: dashboard\n    rules:\n")
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			walk(p.Panels)
			for i, q := range p.Targets {
				expr, _ := json.Marshal(vars.Replace(q.Expr)) // a JSON string is a YAML string
				fmt.Fprintf(&out, "      - record: dashboard:panel%d_%d\n        expr: %s\n", p.ID, i, expr)
			}
		}
	}
	walk(d.Panels)
	return []byte(out.String())
}
