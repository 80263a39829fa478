package deploy_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A regexp-based reading of PromQL, just enough to list the metric names an
// expression selects (Prometheus's own parser would bring its whole module).
var (
	// String literals: label values, label_replace arguments.
	promStrings = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	// Grafana's variables: $__rate_interval, ${namespace}, [[var]].
	promGrafanaVars = regexp.MustCompile(`\$\{[^}]*\}|\$\w+|\[\[\w+\]\]`)
	// Label matchers {…}, range and subquery selectors […].
	promMatchers = regexp.MustCompile(`\{[^{}]*\}`)
	promRanges   = regexp.MustCompile(`\[[^\[\]]*\]`)
	// Label lists of aggregations and vector matching: by (a, b), on(x).
	promGrouping = regexp.MustCompile(`(?i)\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	// A number or duration (skipped), or a name, with "(" when it is called.
	promTokens = regexp.MustCompile(`[0-9.][0-9a-zA-Z_.]*|[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
)

// promKeywords are the names in PromQL that are neither metrics nor calls.
var promKeywords = setOf("and", "or", "unless", "by", "without", "on", "ignoring",
	"group_left", "group_right", "bool", "offset", "atan2", "inf", "nan")

// promFunctions are PromQL's functions and aggregation operators, so that a
// misspelt one (which Prometheus would reject) fails the test too.
var promFunctions = setOf(
	"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
	"bottomk", "topk", "quantile", "limitk", "limit_ratio",
	"abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
	"day_of_month", "day_of_week", "day_of_year", "days_in_month", "delta", "deriv", "exp", "floor",
	"histogram_avg", "histogram_count", "histogram_sum", "histogram_fraction", "histogram_quantile",
	"histogram_stddev", "histogram_stdvar", "holt_winters", "double_exponential_smoothing", "hour",
	"idelta", "increase", "irate", "label_join", "label_replace", "ln", "log2", "log10", "minute",
	"month", "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc",
	"sort_by_label", "sort_by_label_desc", "sqrt", "time", "timestamp", "vector", "year",
	"avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
	"quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
	"present_over_time", "mad_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh",
	"cos", "cosh", "sin", "sinh", "tan", "tanh", "deg", "rad", "pi", "start", "end")

func setOf(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// promMetricNames returns the metric names expr selects, sorted and without
// repeats, or an error for unbalanced brackets or an unknown function.
func promMetricNames(expr string) ([]string, error) {
	s := promStrings.ReplaceAllString(expr, `""`)
	if err := balanced(s); err != nil {
		return nil, err
	}
	s = promGrafanaVars.ReplaceAllString(s, " ")
	s = promMatchers.ReplaceAllString(s, " ")
	s = promRanges.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	seen := map[string]bool{}
	for _, m := range promTokens.FindAllStringSubmatch(s, -1) {
		tok := m[0]
		switch {
		case tok[0] >= '0' && tok[0] <= '9' || tok[0] == '.':
		case m[1] != "":
			if name := strings.TrimSpace(strings.TrimSuffix(tok, "(")); !promFunctions[name] {
				return nil, fmt.Errorf("unknown function %s()", name)
			}
		case promKeywords[strings.ToLower(tok)]:
		default:
			seen[tok] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

// balanced checks (), [] and {} nest properly (strings already blanked).
func balanced(s string) error {
	var stack []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			stack = append(stack, r)
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return fmt.Errorf("unbalanced %q", r)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %q", stack[len(stack)-1])
	}
	return nil
}

func TestPromMetricNames(t *testing.T) {
	tests := []struct {
		name    string
		expr    string
		want    []string
		wantErr bool
	}{
		{name: "bare selector", expr: `cohortbot_jobs_total`, want: []string{"cohortbot_jobs_total"}},
		{name: "rate with matchers and a range", expr: `rate(cohortbot_jobs_total{outcome="job_failed", kind=~"a|b"}[5m])`,
			want: []string{"cohortbot_jobs_total"}},
		{name: "sum by before and after", expr: `sum by (kind) (rate(a_total[5m])) / ignoring(x) sum(rate(b_total[5m])) by (kind, le)`,
			want: []string{"a_total", "b_total"}},
		{name: "histogram_quantile on buckets", expr: `histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[$__rate_interval])))`,
			want: []string{"x_seconds_bucket"}},
		{name: "strings, keywords, offset, bool, numbers", expr: `label_replace(up_total, "dst", "$1 and rate", "src", "(.*)") > bool 1e3 unless on(pod) c offset 1h`,
			want: []string{"c", "up_total"}},
		{name: "Grafana variables", expr: `sum(increase(m_total{namespace=~"$namespace", pod=~"${pod}"}[$__range])) or vector(0)`,
			want: []string{"m_total"}},
		{name: "group_left with and without labels", expr: `a * on(pod) group_left(version) b + c * on(pod) group_left d`,
			want: []string{"a", "b", "c", "d"}},
		{name: "arithmetic without spaces", expr: `1+m_total*2`, want: []string{"m_total"}},
		{name: "subquery", expr: `max_over_time(rate(m_total[5m])[1h:1m])`, want: []string{"m_total"}},
		{name: "unknown function", expr: `rat(m_total[5m])`, wantErr: true},
		{name: "unbalanced", expr: `sum(rate(m_total[5m])`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := promMetricNames(tc.expr)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if d := cmp.Diff(tc.want, got, cmpEmpty); d != "" {
				t.Errorf("names (-want +got):\n%s", d)
			}
		})
	}
}
