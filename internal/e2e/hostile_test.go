package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/harness"
)

// postAs posts body to the webhook route with the given Content-Type.
func (e *env) postAs(contentType, event, delivery string, body []byte) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.URL+"/api/github/hook", bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	req.Header.Set("X-Hub-Signature-256", sign(secret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestBrokenRequestsAreRefused: bodies that are not webhooks get a 4xx
// saying why, and nothing is stored.
func TestBrokenRequestsAreRefused(t *testing.T) {
	start(t, func(e *env) {
		ping := example(t, "ping.json")
		tests := []struct {
			name, contentType, event string
			body                     []byte
			wantStatus               int
			wantText                 string
		}{
			{"malformed JSON", "application/json", "issues", []byte(`{"action":"opened","issue":{`), 400, "not valid JSON"},
			{"JSON of another shape is no JSON error", "application/json", "issues", []byte(`[1,2,3]`), 200, ""},
			{"empty body", "application/json", "issue_comment", nil, 400, "not valid JSON"},
			{"text/plain", "text/plain", "issues", ping, 400, "unsupported Content-Type"},
			{"no content type", "", "issues", ping, 400, "invalid webhook request"},
			{"form-encoded without a payload", "application/x-www-form-urlencoded", "issues", []byte("a=b"), 400, "not valid JSON"},
			{"malformed JSON of an event nobody handles", "application/json", "push", []byte(`{`), 200, ""},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				status, body := e.postAs(tc.contentType, tc.event, fmt.Sprintf("broken-%d", i), tc.body)
				if status != tc.wantStatus || !strings.Contains(body, tc.wantText) {
					t.Errorf("status %d %q, want %d with %q", status, strings.TrimSpace(body), tc.wantStatus, tc.wantText)
				}
				if n := e.storedDeliveries(); n != 0 {
					t.Errorf("%d deliveries stored", n)
				}
			})
		}
	})
}

// rawHook opens a TCP connection to the server and sends the headers of a
// signed-looking POST with extra headers; the body is the caller's to send.
func (e *env) rawHook(extra string) net.Conn {
	e.t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		e.t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "POST /api/github/hook HTTP/1.1\r\nHost: cohortbot\r\nContent-Type: application/json\r\n"+
		"X-GitHub-Event: issues\r\nX-GitHub-Delivery: big\r\nX-Hub-Signature-256: sha256=%s\r\n%s\r\n", strings.Repeat("0", 64), extra)
	return c
}

// TestOversizeBodyRefusedUnread: a declared length over the 2 MiB cap is
// refused before a byte of the body is sent; a chunked body is cut off at
// the cap, long before the sender is done. (The signature is well-formed:
// one that is not is refused before any of this, unread.)
func TestOversizeBodyRefusedUnread(t *testing.T) {
	start(t, func(e *env) {
		t.Run("Content-Length", func(t *testing.T) {
			c := e.rawHook("Content-Length: 1073741824\r\n")
			defer c.Close()
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer before the body was sent: %v", err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", resp.StatusCode)
			}
		})
		t.Run("chunked", func(t *testing.T) {
			c := e.rawHook("Transfer-Encoding: chunked\r\n")
			defer c.Close()
			const total = 200 << 20 // what the sender would send
			sent := make(chan int, 1)
			go func() {
				chunk := bytes.Repeat([]byte("x"), 64<<10)
				n := 0
				for n < total {
					if _, err := fmt.Fprintf(c, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
						break
					}
					n += len(chunk)
				}
				sent <- n
			}()
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				b, _ := io.ReadAll(resp.Body)
				t.Errorf("status %d %q, want 413", resp.StatusCode, b)
			}
			c.Close()
			n := <-sent
			t.Logf("the sender got %d MB of %d MB in before the server refused", n>>20, total>>20)
			if n >= total || n > 40<<20 {
				t.Errorf("the server took %d MB of a %d MB body before refusing it", n>>20, total>>20)
			}
		})
		if n := e.storedDeliveries(); n != 0 {
			t.Errorf("%d stored", n)
		}
	})
}

// patch returns the example webhook name with fields replaced: each key is a
// dotted path, each value the JSON to put there (nil deletes the field).
func patch(t *testing.T, name string, fields map[string]any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(example(t, name), &m); err != nil {
		t.Fatal(err)
	}
	m["installation"] = map[string]any{"id": harness.InstallationID}
	paths := slices.Collect(maps.Keys(fields))
	// Nested fields first, so a parent set to null afterwards stays null.
	slices.SortFunc(paths, func(a, b string) int { return strings.Count(b, ".") - strings.Count(a, ".") })
	for _, path := range paths {
		v := fields[path]
		keys := strings.Split(path, ".")
		at := m
		for _, k := range keys[:len(keys)-1] {
			at = at[k].(map[string]any)
		}
		if v == deleted {
			delete(at, keys[len(keys)-1])
		} else {
			at[keys[len(keys)-1]] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deleted marks a field patch removes.
var deleted = &struct{}{}

func labels(names ...string) []any {
	var out []any
	for _, n := range names {
		out = append(out, map[string]any{"name": n})
	}
	return out
}

// TestMissingOrNullFields: payloads that pass the intake's cheap filter but
// lack what the worker needs are stored, then cancelled — never retried,
// nothing written to GitHub, no panic (a panic would count as job_failed).
func TestMissingOrNullFields(t *testing.T) {
	start(t, func(e *env) {
		request := map[string]any{"issue.labels": labels("cohort/request"), "issue.state": "open"}
		hub := map[string]any{"issue.labels": labels("cohort/hub"), "comment.body": "/checkin"}
		and := func(base map[string]any, kv ...any) map[string]any {
			out := map[string]any{}
			for k, v := range base {
				out[k] = v
			}
			for i := 0; i+1 < len(kv); i += 2 {
				out[kv[i].(string)] = kv[i+1]
			}
			return out
		}
		tests := []struct {
			name, event, example string
			fields               map[string]any
			wantStatus           int
		}{
			{"request with a null sender", "issues", "issues.opened.json", and(request, "sender", nil), 202},
			{"request without an installation", "issues", "issues.opened.json", and(request, "installation", deleted), 202},
			{"request with a null repository", "issues", "issues.opened.json", and(request, "repository", nil), 202},
			{"request numbered by a string", "issues", "issues.opened.json", and(request, "issue.number", "seven"), 202},
			{"request with a null issue", "issues", "issues.opened.json", and(request, "issue", nil), 200},
			{"command by a null user", "issue_comment", "issue_comment.created.json", and(hub, "comment.user", nil), 202},
			{"command with a null issue", "issue_comment", "issue_comment.created.json", and(hub, "issue", nil), 200},
			{"command with a null comment", "issue_comment", "issue_comment.created.json", and(hub, "comment", nil), 200},
			{"command without a repository", "issue_comment", "issue_comment.created.json", and(hub, "repository", deleted), 202},
			{"command body of the wrong type", "issue_comment", "issue_comment.created.json", and(hub, "comment.id", "x"), 202},
			{"review by a null user", "pull_request_review", "pull_request_review.submitted.json",
				map[string]any{"pull_request.labels": labels("mentoring/task"), "review.user": nil}, 202},
			{"task label by a null sender", "pull_request", "pull_request.labeled.json",
				map[string]any{"label": map[string]any{"name": "good-first-review"}, "pull_request.state": "open", "sender": nil}, 202},
		}
		stored := 0
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				body := patch(t, tc.example, tc.fields)
				status, text := e.post(tc.event, fmt.Sprintf("null-%d", i), sign(secret, body), body)
				if status != tc.wantStatus {
					t.Errorf("status %d %q, want %d", status, strings.TrimSpace(text), tc.wantStatus)
				}
				if status == 202 {
					stored++
				}
			})
		}
		e.idle()
		metrics := e.get("/metrics")
		want := fmt.Sprintf(`cohortbot_jobs_total{kind="github_delivery",outcome="job_cancelled"} %d`, stored)
		if !strings.Contains(metrics, want) || strings.Contains(metrics, `outcome="job_failed"`) {
			t.Errorf("want every stored payload cancelled (%s) and none failed; metrics:\n%s", want, grepLines(metrics, "cohortbot_jobs_total"))
		}
		if n := e.writes(); n != 0 {
			t.Errorf("%d writes to GitHub for broken payloads", n)
		}
	})
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
