package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIsWrite: a dry run lets reads through, GraphQL queries included, and
// stops every write, GraphQL mutations included.
func TestIsWrite(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		want                     bool
	}{
		{name: "GET", method: "GET", path: "/repos/o/r/issues/1"},
		{name: "POST comment", method: "POST", path: "/repos/o/r/issues/1/comments", body: `{"body":"hi"}`, want: true},
		{name: "DELETE reaction", method: "DELETE", path: "/repos/o/r/issues/comments/1/reactions/2", want: true},
		{name: "GraphQL query", method: "POST", path: "/graphql", body: `{"query":"query { viewer { login } }"}`},
		{name: "GraphQL mutation", method: "POST", path: "/api/graphql", body: `{"query":" mutation { addComment }"}`, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if d := cmp.Diff(tc.want, isWrite(r, []byte(tc.body))); d != "" {
				t.Errorf("isWrite (-want +got):\n%s", d)
			}
		})
	}
}

// TestPlural: "1 cohort", "2 cohorts", "0 cohorts".
func TestPlural(t *testing.T) {
	got := []string{plural(0, "cohort", "cohorts"), plural(1, "cohort", "cohorts"), plural(2, "cohort", "cohorts")}
	if d := cmp.Diff([]string{"0 cohorts", "1 cohort", "2 cohorts"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
