package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// picky keeps the deliveries whose payload says "keep": true.
type picky struct{ recorder }

func (*picky) Relevant(_ string, payload []byte) (bool, string) {
	return gjson.GetBytes(payload, "keep").Bool(), "not kept"
}

// TestHookIntake drives the webhook route: what is stored and answered
// 202, what is dropped with 200, what is refused with 400, and what is
// logged at info.
func TestHookIntake(t *testing.T) {
	const secret = "s3cret"
	st := openStore(t, testdb.SQLite(t))
	q, err := queue.New(st, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := zerolog.New(&logs).Level(zerolog.InfoLevel)
	h := hookHandler([]handlers.Handler{&picky{}}, secret, q, NewMetrics("test"), log, defaultLimits())
	post := func(id, body string) (int, string) {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(body))
		r := httptest.NewRequest(http.MethodPost, "/api/github/hook", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-GitHub-Event", "issue_comment")
		r.Header.Set("X-GitHub-Delivery", id)
		r.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	tests := []struct {
		name, id, body string
		want           int
		stored         bool
	}{
		{"relevant", "a", `{"keep": true, "n": 1}`, http.StatusAccepted, true},
		{"redelivered", "a", `{"keep": true, "n": 1}`, http.StatusOK, true},
		{"irrelevant", "b", `{"keep": false}`, http.StatusOK, false},
		{"irrelevant array", "c", ` [1, 2] `, http.StatusOK, false},
		{"not JSON", "d", `keep=true`, http.StatusBadRequest, false},
		{"cut off", "e", `{"keep": true, "n": `, http.StatusBadRequest, false},
		{"broken inside, relevant", "f", `{"keep": true, "n": 1,}`, http.StatusBadRequest, false},
		{"broken inside, ignored anyway", "g", `{"keep": false, "n": 1,}`, http.StatusOK, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, body := post(tt.id, tt.body); got != tt.want {
				t.Errorf("status %d (%q), want %d", got, strings.TrimSpace(body), tt.want)
			}
			p, err := st.DeliveryPayload(context.Background(), tt.id)
			if stored := err == nil; stored != tt.stored {
				t.Errorf("stored %v (%v), want %v", stored, err, tt.stored)
			}
			if tt.stored && string(p) != tt.body {
				t.Errorf("stored payload %q, want %q", p, tt.body)
			}
		})
	}
	out := logs.String()
	if n := strings.Count(out, `"level":"info"`); n != 2 || !strings.Contains(out, "stored delivery") || !strings.Contains(out, "duplicate delivery") {
		t.Errorf("want exactly two info lines, the stored delivery and the duplicate; logged:\n%s", out)
	}
	if strings.Contains(out, "Received webhook event") {
		t.Errorf("the dispatcher's per-delivery line is logged at info:\n%s", out)
	}
}
