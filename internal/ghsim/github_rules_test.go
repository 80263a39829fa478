package ghsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rawCall sends a request with the bot's installation token and returns the
// status and the decoded JSON answer.
func rawCall(t *testing.T, s *Sim, method, path, body string) (int, map[string]any, http.Header) {
	t.Helper()
	c := botClient(t, s)
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out, resp.Header
}

// problems collects what the sim reports through OnInvalid.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) add(m, path, problem string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, m+" "+path+": "+problem)
}

func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

// TestRequestsAreCheckedAgainstTheDescription: what GitHub's REST description
// refuses is reported to the test and answered as GitHub answers it; before,
// the sim served these requests (or answered 404 without saying why).
func TestRequestsAreCheckedAgainstTheDescription(t *testing.T) {
	var got problems
	s := newTestSim(t, Options{OnInvalid: got.add})
	s.OpenIssue("alice", testRepo, "t", "")
	const repo = "/repos/kubernetes/mentoring"
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantProblem              string // substring of the one report; "" for none
	}{
		{name: "valid create", method: "POST", path: repo + "/issues", body: `{"title":"x","labels":["a"]}`, wantStatus: 201},
		{name: "null assignees", method: "POST", path: repo + "/issues", body: `{"title":"x","assignees":null}`, wantStatus: 422, wantProblem: "/assignees"},
		{name: "labels a string", method: "PATCH", path: repo + "/issues/1", body: `{"labels":"a"}`, wantStatus: 422, wantProblem: "/labels"},
		{name: "state enum", method: "PATCH", path: repo + "/issues/1", body: `{"state":"done"}`, wantStatus: 422, wantProblem: "/state"},
		{name: "not JSON", method: "PATCH", path: repo + "/issues/1", body: `{"state"`, wantStatus: 400, wantProblem: "not JSON"},
		{name: "sub-issue id a string", method: "POST", path: repo + "/issues/1/sub_issues", body: `{"sub_issue_id":"2"}`, wantStatus: 422, wantProblem: "/sub_issue_id"},
		{name: "unknown query parameter is served", method: "GET", path: repo + "/issues?status=open", wantStatus: 200, wantProblem: `"status"`},
		{name: "query value outside the enum", method: "GET", path: repo + "/issues?state=done", wantStatus: 200, wantProblem: "state="},
		{name: "label with a raw slash", method: "GET", path: repo + "/labels/sig/cli", wantStatus: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out, _ := rawCall(t, s, tc.method, tc.path, tc.body)
			reports := got.take()
			want := []any{tc.wantStatus, tc.wantProblem != ""}
			if diff := cmp.Diff(want, []any{status, len(reports) > 0}); diff != "" {
				t.Fatalf("status, reported (-want +got):\n%s\nanswer %v\nreports %q", diff, out, reports)
			}
			if tc.wantProblem != "" && (len(reports) != 1 || !strings.Contains(reports[0], tc.wantProblem)) {
				t.Errorf("reports %q, want one naming %q", reports, tc.wantProblem)
			}
			if status == 422 && !strings.HasPrefix(out["message"].(string), "Invalid request.") {
				t.Errorf("422 message %q, want GitHub's \"Invalid request.\"", out["message"])
			}
		})
	}
	if n := len(s.Issues(testRepo)); n != 2 {
		t.Errorf("%d issues, want 2: refused requests changed nothing", n)
	}
}

// TestUnknownRouteStillReportsUnknown: a path GitHub does not serve goes to
// OnUnknown once, not also to OnInvalid.
func TestUnknownRouteStillReportsUnknown(t *testing.T) {
	var unknown []string
	var got problems
	s := newTestSim(t, Options{OnInvalid: got.add, OnUnknown: func(m, p string) { unknown = append(unknown, m+" "+p) }})
	status, _, _ := rawCall(t, s, "PUT", "/repos/kubernetes/mentoring/issues/1", `{}`)
	if diff := cmp.Diff([]any{404, []string{"PUT /repos/kubernetes/mentoring/issues/1"}, []string(nil)},
		[]any{status, unknown, got.take()}); diff != "" {
		t.Errorf("status, unknown, invalid (-want +got):\n%s", diff)
	}
}

// TestInvalidFallsBackToOnUnknown: with only OnUnknown set (every existing
// test), a request GitHub would refuse reaches it, naming the problem.
func TestInvalidFallsBackToOnUnknown(t *testing.T) {
	var unknown []string
	s := newTestSim(t, Options{OnUnknown: func(m, p string) { unknown = append(unknown, m+" "+p) }})
	rawCall(t, s, "GET", "/repos/kubernetes/mentoring/issues?status=open", "")
	if len(unknown) != 1 || !strings.Contains(unknown[0], `query parameter "status"`) {
		t.Errorf("OnUnknown got %q", unknown)
	}
	if r := s.Requests(); len(r[len(r)-1].Problems) != 1 {
		t.Errorf("recorded request %+v, want its problem", r[len(r)-1])
	}
}

// TestEverySimRouteIsAGitHubOperation: each API route the sim serves names
// an operation of the trimmed description (operations.txt is complete).
func TestEverySimRouteIsAGitHubOperation(t *testing.T) {
	s := newTestSim(t, Options{})
	for _, rt := range s.routes {
		segs := make([]string, len(rt.segs))
		for i, p := range rt.segs {
			segs[i] = p
			if strings.HasPrefix(p, "{") {
				segs[i] = "7"
			}
		}
		path := "/" + strings.Join(segs, "/")
		if rt.auth == authNone && isWebPage(path) {
			continue
		}
		if r := apiSpec.Check(rt.method, path, "", nil); r.Op == nil {
			t.Errorf("%s %s: no operation in GitHub's description (%q)", rt.method, strings.Join(rt.segs, "/"), r.Problems)
		}
	}
}

// TestDocumentedLimits: label names over 50 characters, more than 10
// assignees, more than 100 sub-issues (limits.go).
func TestDocumentedLimits(t *testing.T) {
	s := newTestSim(t, Options{})
	s.OpenIssue("alice", testRepo, "parent", "")
	const repo = "/repos/kubernetes/mentoring"
	name50, name51 := strings.Repeat("é", 50), strings.Repeat("x", 51)
	var got []int
	for _, call := range []struct{ method, path, body string }{
		{"POST", repo + "/labels", `{"name":"` + name50 + `"}`},
		{"POST", repo + "/labels", `{"name":"` + name51 + `"}`},
		{"PATCH", repo + "/labels/" + name50, `{"new_name":"` + name51 + `"}`},
		{"POST", repo + "/issues/1/labels", `["` + name51 + `"]`},
		{"PUT", repo + "/issues/1/labels", `{"labels":["` + name51 + `"]}`},
		{"PATCH", repo + "/issues/1", `{"labels":["` + name51 + `"]}`},
		{"POST", repo + "/issues/1/labels", `["` + name50 + `"]`},
	} {
		status, out, _ := rawCall(t, s, call.method, call.path, call.body)
		got = append(got, status)
		if status == 422 && !strings.Contains(toJSON(out), "maximum is 50 characters") {
			t.Errorf("%s %s: %v", call.method, call.path, out)
		}
	}
	if diff := cmp.Diff([]int{201, 422, 422, 422, 422, 422, 200}, got); diff != "" {
		t.Errorf("label statuses (-want +got):\n%s", diff)
	}

	var users []string
	for i := range 12 {
		u := "user" + strconv.Itoa(i)
		s.AddUser(u)
		users = append(users, `"`+u+`"`)
	}
	status, out, _ := rawCall(t, s, "POST", repo+"/issues/1/assignees", `{"assignees":[`+strings.Join(users, ",")+`]}`)
	if n := len(out["assignees"].([]any)); status != 201 || n != 10 {
		t.Errorf("add 12 assignees: status %d, %d assigned; want 201 and 10", status, n)
	}

	var subStatus []int
	for i := range 101 {
		child := s.OpenIssue("alice", testRepo, "child "+strconv.Itoa(i), "")
		st, _, _ := rawCall(t, s, "POST", repo+"/issues/1/sub_issues", `{"sub_issue_id":`+strconv.FormatInt(child.ID, 10)+`}`)
		if i >= 99 {
			subStatus = append(subStatus, st)
		}
	}
	if diff := cmp.Diff([]int{201, 422}, subStatus); diff != "" {
		t.Errorf("100th and 101st sub-issue (-want +got):\n%s", diff)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(bytes.TrimSpace(b))
}

// TestSecondaryLimits: with SecondaryLimits, the 81st write within a minute
// and the 501st within an hour get GitHub's 403 with Retry-After; reads
// still pass; the window frees as the clock moves.
func TestSecondaryLimits(t *testing.T) {
	s := newTestSim(t, Options{SecondaryLimits: true})
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	s.limitNow = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	s.OpenIssue("alice", testRepo, "t", "")
	write := func() (int, map[string]any, http.Header) {
		return rawCall(t, s, "POST", "/repos/kubernetes/mentoring/issues/1/comments", `{"body":"x"}`)
	}
	var statuses []int
	for range 80 {
		st, _, _ := write()
		statuses = append(statuses, st)
		advance(100 * time.Millisecond) // 80 writes in 8 seconds
	}
	st, out, h := write()
	statuses = append(statuses, st)
	read, _, _ := rawCall(t, s, "GET", "/repos/kubernetes/mentoring/issues/1", "")
	want := append(append(make([]int, 0, 81), repeat(201, 80)...), 403)
	if diff := cmp.Diff(want, statuses); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}
	if h.Get("Retry-After") != "52" || !strings.HasPrefix(out["message"].(string), "You have exceeded a secondary rate limit.") || read != 200 {
		t.Errorf("Retry-After %q, message %q, read %d; want 52 s (the first write leaves the minute), GitHub's message, 200",
			h.Get("Retry-After"), out["message"], read)
	}
	advance(52 * time.Second)
	if st, _, _ := write(); st != 201 {
		t.Errorf("after Retry-After: %d, want 201", st)
	}
	// 500 in the hour: 81 so far; 419 more, a minute apart in groups of 80.
	for i := range 419 {
		if i%79 == 0 {
			advance(time.Minute)
		}
		if st, _, _ := write(); st != 201 {
			t.Fatalf("write %d of the hour: %d", 82+i, st)
		}
	}
	advance(time.Minute)
	st, _, h = write()
	if st != 403 || h.Get("Retry-After") == "" {
		t.Errorf("501st write in the hour: %d, Retry-After %q; want 403 with Retry-After", st, h.Get("Retry-After"))
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
