package gh

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func ghError(method, path string, status int, message string, errs ...github.Error) error {
	req := &http.Request{Method: method, URL: &url.URL{Path: path}}
	return fmt.Errorf("some call: %w", &github.ErrorResponse{
		Response: &http.Response{StatusCode: status, Request: req}, Message: message, Errors: errs,
	})
}

func TestRefusal(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		wantMsg string
		want    bool
	}{
		{name: "body too long", err: ghError("PATCH", "/repos/o/r/issues/3", 422, "Validation Failed",
			github.Error{Resource: "Issue", Field: "body", Code: "custom", Message: "body is too long (maximum is 65536 characters)"}),
			wantMsg: "422 Validation Failed (Issue body custom body is too long (maximum is 65536 characters))", want: true},
		{name: "label already exists is done, not refused", err: ghError("POST", "/repos/o/r/labels", 422, "Validation Failed",
			github.Error{Resource: "Label", Field: "name", Code: "already_exists"})},
		{name: "reaction to a deleted comment", err: ghError("POST", "/repos/o/r/issues/comments/77/reactions", 404, "Not Found"),
			wantMsg: "404 Not Found", want: true},
		{name: "edit of a deleted comment (GitHub Enterprise path)", err: ghError("PATCH", "/api/v3/repos/o/r/issues/comments/77", 404, "Not Found"),
			wantMsg: "404 Not Found", want: true},
		{name: "404 on an issue or repository is retried", err: ghError("PATCH", "/repos/o/r/issues/3", 404, "Not Found")},
		{name: "404 on a comment list is retried", err: ghError("POST", "/repos/o/r/issues/3/comments", 404, "Not Found")},
		{name: "gone", err: ghError("PATCH", "/repos/o/r/issues/3", 410, "This issue was deleted"), wantMsg: "410 This issue was deleted", want: true},
		{name: "permission 403 is retried", err: ghError("POST", "/repos/o/r/issues/3/labels", 403, "Resource not accessible by integration")},
		{name: "502 is retried", err: ghError("POST", "/repos/o/r/issues/3/labels", 502, "Bad Gateway")},
		{name: "not a GitHub answer", err: errors.New("connection reset")},
		{name: "a rate limit", err: &RateLimited{Installation: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg, ok := Refusal(tc.err)
			if d := cmp.Diff(tc.wantMsg, msg); d != "" || ok != tc.want {
				t.Errorf("Refusal = %q, %v; want %v (-want +got):\n%s", msg, ok, tc.want, d)
			}
		})
	}
}

// The Pacer counts what Refusal calls refusals, from the answer itself.
func TestPacerCountsRefusals(t *testing.T) {
	tests := []struct {
		name, method, path string
		answer             func() *http.Response
		want               []int
	}{
		{"validation failed", "POST", "/repos/o/r/issues/3/comments",
			answer(422, `{"message":"Validation Failed","errors":[{"resource":"IssueComment","code":"custom","field":"body"}]}`), []int{422}},
		{"label exists", "POST", "/repos/o/r/labels",
			answer(422, `{"message":"Validation Failed","errors":[{"resource":"Label","code":"already_exists","field":"name"}]}`), nil},
		{"deleted comment", "POST", "/repos/o/r/issues/comments/9/reactions", answer(404, `{"message":"Not Found"}`), []int{404}},
		{"repository not found", "GET", "/repos/o/r/issues/3", answer(404, `{"message":"Not Found"}`), nil},
		{"gone", "PATCH", "/repos/o/r/issues/3", answer(410, `{"message":"Gone"}`), []int{410}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			p := NewPacer(PacerOptions{OnRefused: func(_ int64, status int) { got = append(got, status) }})
			req, _ := http.NewRequest(tc.method, "https://api.github.test"+tc.path, nil)
			resp, err := p.Transport(1, &upstream{answers: []func() *http.Response{tc.answer}}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			if err := github.CheckResponse(resp); resp.StatusCode == 422 && len(err.(*github.ErrorResponse).Errors) == 0 {
				t.Error("the 422's body was not passed on")
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("refusals counted (-want +got):\n%s", d)
			}
		})
	}
}
