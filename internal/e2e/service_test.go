package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (e *env) post(event, delivery, signature string, body []byte) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.URL+"/api/github/hook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *env) storedDeliveries() int {
	var n int
	if err := e.Server.Store.QueryRow(context.Background(), "SELECT COUNT(*) FROM deliveries").Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func example(t *testing.T, name string) []byte {
	b, err := os.ReadFile("../ghsim/testdata/webhooks/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const secret = "harness-webhook-secret"

func TestWebhookIntake(t *testing.T) {
	start(t, func(e *env) {
		opened := example(t, "issues.opened.json")
		// Make the example a cohort request by a human.
		request := bytes.Replace(opened, []byte(`"labels": [`), []byte(`"labels": [{"id": 1, "name": "cohort/request", "color": "ededed", "default": false},`), 1)
		if bytes.Equal(request, opened) {
			t.Fatal("could not turn the example into a request")
		}
		tests := []struct {
			name       string
			event      string
			body       []byte
			signature  string
			wantStatus int
			wantStored int
		}{
			{name: "missing signature", event: "issues", body: request, wantStatus: 401},
			{name: "wrong signature", event: "issues", body: request, signature: sign("not-the-secret", request), wantStatus: 401},
			{name: "tampered body", event: "issues", body: append([]byte(" "), request...), signature: sign(secret, request), wantStatus: 401},
			{name: "irrelevant push", event: "push", body: example(t, "push.json"), signature: sign(secret, example(t, "push.json")), wantStatus: 200},
			{name: "issue without the request label", event: "issues", body: opened, signature: sign(secret, opened), wantStatus: 200},
			{name: "ping", event: "ping", body: example(t, "ping.json"), signature: sign(secret, example(t, "ping.json")), wantStatus: 200},
			{name: "malformed JSON", event: "issues", body: []byte("{not json"), signature: sign(secret, []byte("{not json")), wantStatus: 400},
			{name: "relevant request is stored", event: "issues", body: request, signature: sign(secret, request), wantStatus: 202, wantStored: 1},
			{name: "same delivery again", event: "issues", body: request, signature: sign(secret, request), wantStatus: 200, wantStored: 1},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				status, body := e.post(tc.event, "delivery-1", tc.signature, tc.body)
				if status != tc.wantStatus {
					t.Errorf("status %d (%s), want %d", status, strings.TrimSpace(body), tc.wantStatus)
				}
				if n := e.storedDeliveries(); n != tc.wantStored {
					t.Errorf("%d deliveries stored, want %d", n, tc.wantStored)
				}
			})
		}
		e.idle()
		metrics := e.get("/metrics")
		for _, want := range []string{
			`cohortbot_webhook_deliveries_total{event="issues",outcome="stored"} 1`,
			`cohortbot_webhook_deliveries_total{event="issues",outcome="duplicate"} 1`,
			`cohortbot_webhook_deliveries_total{event="issues",outcome="unauthorized"} 3`,
			`cohortbot_webhook_deliveries_total{event="push",outcome="ignored"} 1`,
			// The example payload names no installation: it can never be
			// processed, so its job is cancelled rather than retried.
			`cohortbot_jobs_total{kind="github_delivery",outcome="job_cancelled"} 1`,
			`cohortbot_build_info{version="dev"} 1`,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})
}

func (e *env) get(path string) string {
	e.t.Helper()
	resp, err := http.Get(e.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

func TestHealthAndReadiness(t *testing.T) {
	start(t, func(e *env) {
		if got := e.get("/healthz"); !strings.Contains(got, "ok") {
			t.Errorf("/healthz: %q", got)
		}
		if got := e.get("/readyz"); !strings.Contains(got, "ready") {
			t.Errorf("/readyz: %q", got)
		}
	})
}

func TestOversizeBodyIsRefused(t *testing.T) {
	start(t, func(e *env) {
		big := bytes.Repeat([]byte("x"), 26<<20)
		status, _ := e.post("issues", "big", sign(secret, big), big)
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", status)
		}
		if n := e.storedDeliveries(); n != 0 {
			t.Errorf("%d stored", n)
		}
	})
}
