package deploy_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// ruleFile is Prometheus's rules file format (rule_files:), decoded strictly
// so a misspelt key fails as `promtool check rules` would.
type ruleFile struct {
	Groups []struct {
		Name     string `json:"name"`
		Interval string `json:"interval,omitempty"`
		Rules    []struct {
			Alert         string            `json:"alert,omitempty"`
			Record        string            `json:"record,omitempty"`
			Expr          string            `json:"expr"`
			For           string            `json:"for,omitempty"`
			KeepFiringFor string            `json:"keep_firing_for,omitempty"`
			Labels        map[string]string `json:"labels,omitempty"`
			Annotations   map[string]string `json:"annotations,omitempty"`
		} `json:"rules"`
	} `json:"groups"`
}

// promDuration is Prometheus's duration syntax (1h30m, 5m, 1d).
var promDuration = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)

// checkExpr fails the test when expr does not parse or names a series the
// service does not export.
func checkExpr(t *testing.T, where, expr string, exported map[string]string) {
	t.Helper()
	if err := exprError(expr, exported); err != nil {
		t.Errorf("%s: %v (declared metrics are read from %v)", where, err, metricSourceRoots)
	}
}

// exprError says what is wrong with expr: a syntax error, no metric at all,
// or metrics missing from exported (which holds a histogram's _bucket, _sum
// and _count series besides its name).
func exprError(expr string, exported map[string]string) error {
	names, err := promMetricNames(expr)
	if err != nil {
		return fmt.Errorf("%v in %q", err, expr)
	}
	if len(names) == 0 {
		return fmt.Errorf("%q selects no metric", expr)
	}
	var missing []string
	for _, n := range names {
		if _, ok := exported[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%q names %s, which cohortbot does not export", expr, strings.Join(missing, ", "))
	}
	return nil
}

func TestExprError(t *testing.T) {
	exported := map[string]string{"cohortbot_jobs_total": "", "cohortbot_intake_seconds_bucket": "", "cohortbot_intake_seconds_count": ""}
	tests := []struct {
		name, expr, wantErr string
	}{
		{name: "exported counter", expr: `sum by (kind) (rate(cohortbot_jobs_total{outcome="job_failed"}[5m]))`},
		{name: "histogram buckets", expr: `histogram_quantile(0.9, sum by (le) (rate(cohortbot_intake_seconds_bucket[5m])))`},
		{name: "renamed metric", expr: `rate(cohortbot_jobs_failed_total[5m])`, wantErr: "names cohortbot_jobs_failed_total"},
		{name: "histogram series that does not exist", expr: `rate(cohortbot_intake_seconds_sum[5m])`, wantErr: "names cohortbot_intake_seconds_sum"},
		{name: "no metric", expr: `vector(1)`, wantErr: "selects no metric"},
		{name: "syntax", expr: `rate(cohortbot_jobs_total[5m]`, wantErr: "unclosed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if err := exprError(tc.expr, exported); err != nil {
				got = err.Error()
			}
			if (tc.wantErr == "") != (got == "") || !strings.Contains(got, tc.wantErr) {
				t.Errorf("exprError(%q) = %q, want an error containing %q", tc.expr, got, tc.wantErr)
			}
		})
	}
}

// templateLabels are the labels an alert's text uses: {{ $labels.x }}.
var templateLabels = regexp.MustCompile(`\$labels\.(\w+)`)

// grouping lists the labels of an expression's by (...) clauses.
var grouping = regexp.MustCompile(`\bby\s*\(([^)]*)\)`)

// checkTemplateLabels asserts each label an alert's text shows survives the
// expression's aggregation (otherwise it renders empty).
func checkTemplateLabels(t *testing.T, where, expr string, annotations map[string]string) {
	t.Helper()
	kept := map[string]bool{}
	for _, m := range grouping.FindAllStringSubmatch(expr, -1) {
		for _, l := range strings.Split(m[1], ",") {
			kept[strings.TrimSpace(l)] = true
		}
	}
	for k, text := range annotations {
		for _, m := range templateLabels.FindAllStringSubmatch(text, -1) {
			if !kept[m[1]] {
				t.Errorf("%s: annotation %s shows $labels.%s, which the expression aggregates away", where, k, m[1])
			}
		}
	}
}

func TestAlertRules(t *testing.T) {
	exported := exportedSeries(t)
	b, err := os.ReadFile("monitoring/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		t.Fatalf("monitoring/alerts.yaml is not a valid rules file: %v", err)
	}
	if len(f.Groups) == 0 {
		t.Fatal("monitoring/alerts.yaml has no rule group")
	}
	alerts := map[string]bool{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			where := g.Name + "/" + r.Alert + r.Record
			if (r.Alert == "") == (r.Record == "") {
				t.Errorf("%s: a rule is either an alert or a record", where)
			}
			if alerts[r.Alert] && r.Alert != "" {
				t.Errorf("%s: alert defined twice", where)
			}
			alerts[r.Alert] = true
			checkExpr(t, where, r.Expr, exported)
			for _, d := range []string{r.For, r.KeepFiringFor} {
				if d != "" && !promDuration.MatchString(d) {
					t.Errorf("%s: %q is not a Prometheus duration", where, d)
				}
			}
			if r.Alert != "" {
				checkAlertText(t, where, r.Labels, r.Annotations)
				checkTemplateLabels(t, where, r.Expr, r.Annotations)
			}
		}
	}
	// The list: deliveries failing, jobs retrying or discarded,
	// rate-limit pauses, database not ready.
	for _, name := range []string{"CohortbotDeliveriesFailing", "CohortbotJobsRetrying", "CohortbotJobsDiscarded",
		"CohortbotRateLimited", "CohortbotDatabaseNotReady"} {
		if !alerts[name] {
			t.Errorf("no alert %s", name)
		}
	}
}

// checkAlertText asserts what an on-call reader needs: a severity to route
// on, a summary and a description.
func checkAlertText(t *testing.T, where string, labels, annotations map[string]string) {
	t.Helper()
	switch labels["severity"] {
	case "critical", "warning", "info":
	default:
		t.Errorf("%s: severity %q, want critical, warning or info", where, labels["severity"])
	}
	for _, k := range []string{"summary", "description"} {
		if strings.TrimSpace(annotations[k]) == "" {
			t.Errorf("%s: no %s annotation", where, k)
		}
	}
}

// dashboard is the part of Grafana's dashboard model the test checks.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []json.RawMessage `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int    `json:"id"`
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	GridPos struct{ X, W int } `json:"gridPos"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // a collapsed row's
}

// grafanaLabelValues is a query variable's label_values(metric, label).
var grafanaLabelValues = regexp.MustCompile(`^label_values\((.+),\s*\w+\)$`)

func TestGrafanaDashboard(t *testing.T) {
	exported := exportedSeries(t)
	b, err := os.ReadFile("monitoring/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("monitoring/grafana-dashboard.json is not valid JSON: %v", err)
	}
	if d.UID == "" || d.Title == "" || len(d.Panels) == 0 {
		t.Fatalf("dashboard uid %q, title %q, %d panels: want all three", d.UID, d.Title, len(d.Panels))
	}
	ids := map[int]bool{}
	var exprs int
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			where := "panel " + p.Title
			if ids[p.ID] {
				t.Errorf("%s: id %d used twice", where, p.ID)
			}
			ids[p.ID] = true
			if p.GridPos.X+p.GridPos.W > 24 {
				t.Errorf("%s: wider than Grafana's 24 columns", where)
			}
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
				t.Errorf("%s: datasource %+v, want the ${datasource} variable (any Prometheus on import)", where, p.Datasource)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no query", where)
			}
			for _, q := range p.Targets {
				checkExpr(t, where, q.Expr, exported)
				exprs++
			}
		}
	}
	walk(d.Panels)
	checkVariables(t, d.Templating.List, exported)
	t.Logf("%d panels, %d expressions checked against %d exported series", len(ids), exprs, len(exported))
}

// checkVariables checks the query variables' metrics are exported too.
func checkVariables(t *testing.T, vars []json.RawMessage, exported map[string]string) {
	t.Helper()
	var names []string
	for _, raw := range vars {
		var v struct {
			Name, Type string
			Query      json.RawMessage
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		names = append(names, v.Name)
		if v.Type != "query" {
			continue
		}
		var q struct{ Query string }
		if json.Unmarshal(v.Query, &q) != nil {
			json.Unmarshal(v.Query, &q.Query) // older dashboards: a plain string
		}
		m := grafanaLabelValues.FindStringSubmatch(q.Query)
		if m == nil {
			t.Errorf("variable %s: query %q, want label_values(metric, label)", v.Name, q.Query)
			continue
		}
		checkExpr(t, "variable "+v.Name, m[1], exported)
	}
	sort.Strings(names)
	if d := cmp.Diff([]string{"datasource", "namespace"}, names); d != "" {
		t.Errorf("variables (-want +got; the panels filter on them):\n%s", d)
	}
}
