package openapi

import (
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheck drives the checker with requests GitHub serves and requests it
// refuses, each shaped as go-github sends them.
func TestCheck(t *testing.T) {
	spec, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 51)
	tests := []struct {
		name, method, path, query, body string
		wantOp                          string
		wantStatus                      int
		wantProblem                     string // substring of the first problem; "" means none
	}{
		{name: "create issue", method: "POST", path: "/repos/o/r/issues", body: `{"title":"t","body":"b","labels":["x"],"assignees":["a"]}`, wantOp: "issues/create"},
		{name: "create issue without title", method: "POST", path: "/repos/o/r/issues", body: `{"body":"b"}`, wantOp: "issues/create", wantStatus: 422, wantProblem: "title"},
		{name: "labels not an array", method: "POST", path: "/repos/o/r/issues", body: `{"title":"t","labels":"x"}`, wantOp: "issues/create", wantStatus: 422, wantProblem: "/labels"},
		{name: "bad state enum", method: "PATCH", path: "/repos/o/r/issues/3", body: `{"state":"shut"}`, wantOp: "issues/update", wantStatus: 422, wantProblem: "/state"},
		{name: "body not JSON", method: "PATCH", path: "/repos/o/r/issues/3", body: `{"state":`, wantOp: "issues/update", wantStatus: 400, wantProblem: "not JSON"},
		{name: "add labels as array (documented in prose)", method: "POST", path: "/repos/o/r/issues/3/labels", body: `["a","b"]`, wantOp: "issues/add-labels"},
		{name: "add labels as object", method: "POST", path: "/repos/o/r/issues/3/labels", body: `{"labels":["a"]}`, wantOp: "issues/add-labels"},
		{name: "label name too long", method: "POST", path: "/repos/o/r/labels", body: `{"name":"` + long + `","color":"ffffff"}`, wantOp: "issues/create-label"},
		{name: "label with slash in path", method: "DELETE", path: "/repos/o/r/issues/3/labels/sig%2Fcli", wantOp: "issues/remove-label"},
		{name: "sub-issue without id", method: "POST", path: "/repos/o/r/issues/3/sub_issues", body: `{}`, wantOp: "issues/add-sub-issue", wantStatus: 422, wantProblem: "sub_issue_id"},
		{name: "sub-issue id a string", method: "POST", path: "/repos/o/r/issues/3/sub_issues", body: `{"sub_issue_id":"7"}`, wantOp: "issues/add-sub-issue", wantStatus: 422, wantProblem: "/sub_issue_id"},
		{name: "sub-issue without body", method: "POST", path: "/repos/o/r/issues/3/sub_issues", wantOp: "issues/add-sub-issue", wantStatus: 422, wantProblem: "needs a request body"},
		{name: "reaction content enum", method: "POST", path: "/repos/o/r/issues/comments/9/reactions", body: `{"content":"thumbsup"}`, wantOp: "reactions/create-for-issue-comment", wantStatus: 422, wantProblem: "/content"},
		{name: "property the schema forbids", method: "POST", path: "/repos/o/r/issues", body: `{"title":"t","issue_field_values":[{"field_id":1,"value":"v","extra":1}]}`, wantOp: "issues/create", wantStatus: 422, wantProblem: "extra"},
		{name: "fewer items than minItems", method: "POST", path: "/repos/o/r/issues/3/labels", body: `{"labels":[]}`, wantOp: "issues/add-labels", wantStatus: 422, wantProblem: "issues/add-labels"},
		{name: "label with raw slash in path", method: "GET", path: "/repos/o/r/labels/sig/cli", wantOp: "issues/get-label"},
		{name: "comment id literal beats issue number", method: "GET", path: "/repos/o/r/issues/comments/9", wantOp: "issues/get-comment"},
		{name: "contents path with slashes", method: "GET", path: "/repos/o/r/contents/.github/cohortbot.yml", query: "ref=main", wantOp: "repos/get-content"},
		{name: "list issues", method: "GET", path: "/repos/o/r/issues", query: "state=all&labels=a,b&per_page=100&page=2", wantOp: "issues/list-for-repo"},
		{name: "unknown query parameter", method: "GET", path: "/repos/o/r/issues", query: "status=open", wantOp: "issues/list-for-repo", wantProblem: `"status" is not a parameter`},
		{name: "bad query enum", method: "GET", path: "/repos/o/r/issues", query: "state=shut", wantOp: "issues/list-for-repo", wantProblem: "state="},
		{name: "issue number not a number", method: "GET", path: "/repos/o/r/issues/abc/comments", wantOp: "issues/list-comments", wantStatus: 404, wantProblem: "issue_number"},
		{name: "unknown route", method: "GET", path: "/repos/o/r/discussions", wantStatus: 404, wantProblem: "no operation"},
		{name: "wrong method", method: "PUT", path: "/repos/o/r/issues/3", body: `{}`, wantStatus: 404, wantProblem: "no operation"},
		{name: "token without options (ghinstallation)", method: "POST", path: "/app/installations/7/access_tokens", body: "null", wantOp: "apps/create-installation-access-token"},
		{name: "body where none is taken", method: "GET", path: "/repos/o/r/issues/3", body: `{"x":1}`, wantOp: "issues/get", wantProblem: "takes no request body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := spec.Check(tc.method, tc.path, tc.query, []byte(tc.body))
			gotOp := ""
			if r.Op != nil {
				gotOp = r.Op.ID
			}
			first := ""
			if len(r.Problems) > 0 {
				first = r.Problems[0]
			}
			got := []any{gotOp, r.Status, tc.wantProblem != "" && strings.Contains(first, tc.wantProblem) || tc.wantProblem == "" && first == ""}
			want := []any{tc.wantOp, tc.wantStatus, true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("op, status, problem matches (-want +got):\n%s\nproblems: %q", diff, r.Problems)
			}
			if r.Status != 0 && r.Status != http.StatusNotFound && r.Message == "" {
				t.Errorf("status %d without a message", r.Status)
			}
		})
	}
}

// TestTrimmedCopyMatchesOperationsList: the committed description holds
// exactly the operations of operations.txt, and names its source version
// (run gen.sh after editing operations.txt).
func TestTrimmedCopyMatchesOperationsList(t *testing.T) {
	spec, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("operations.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			want = append(want, line)
		}
	}
	var got []string
	for _, op := range spec.Operations() {
		got = append(got, op.Method+" "+op.Path)
	}
	sort.Strings(want)
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-operations.txt +api.github.com.json):\n%s", diff)
	}
	if v := spec.doc.Info.Extensions["x-octokit-openapi-version"]; v == nil || !strings.Contains(Version(), v.(string)) {
		t.Errorf("VERSION %q does not name the description's version %v", Version(), v)
	}
}

// BenchmarkCheck measures the cost the check adds to each simulated request.
func BenchmarkCheck(b *testing.B) {
	spec, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"title":"SIG Apps reviewers 2027: @mia's progress","body":"` + strings.Repeat("x", 4000) +
		`","labels":["cohort/mentee","cohort/active","in-cohort/sig-apps-reviewers-2027"],"assignees":["mia"]}`)
	for b.Loop() {
		if r := spec.Check("POST", "/repos/kubernetes/community/issues", "", body); !r.OK() {
			b.Fatal(r.Problems)
		}
	}
}

// TestMaxItemsAndMaxLength: the operations served today give no maxItems or
// maxLength, but a regenerated description may; the check enforces them.
func TestMaxItemsAndMaxLength(t *testing.T) {
	spec, err := parse([]byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/x":{"post":{
		"operationId":"x/post","responses":{"default":{"description":"d"}},
		"requestBody":{"required":true,"content":{"application/json":{"schema":{"type":"object",
		"properties":{"names":{"type":"array","maxItems":2,"items":{"type":"string","maxLength":3}}}}}}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		want       int
	}{
		{name: "within", body: `{"names":["abc","de"]}`, want: 0},
		{name: "too many", body: `{"names":["a","b","c"]}`, want: 422},
		{name: "too long", body: `{"names":["abcd"]}`, want: 422},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := spec.Check("POST", "/x", "", []byte(tc.body)); r.Status != tc.want {
				t.Errorf("status %d, want %d (%q)", r.Status, tc.want, r.Problems)
			}
		})
	}
}
