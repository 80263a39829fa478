package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-github/v62/github"
)

// TestSender: the bench's HTTP client sends what GitHub sends (the event,
// a delivery id, a signature the server verifies, the JSON body), keeps
// connections alive, and copes with a server that closes them.
func TestSender(t *testing.T) {
	var conns, requests atomic.Int64
	var ids idSet
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		payload, err := github.ValidatePayload(r, []byte(webhookSecret))
		switch {
		case err != nil:
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		case r.URL.Path != "/api/github/hook" || r.Header.Get("X-GitHub-Event") != "issue_comment" || string(payload) != `{"a":1}`:
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		ids.add(r.Header.Get("X-GitHub-Delivery"))
		if n%5 == 0 {
			w.Header().Set("Connection", "close")
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	s := newSender(srv.URL)
	defer s.close()
	d := newDelivery("issue_comment", "", []byte(`{"a":1}`))
	ctx := context.Background()
	for i := range 20 {
		if i == 12 {
			srv.CloseClientConnections() // a kept-alive connection dies between sends
		}
		st, _, err := s.send(ctx, d)
		if err != nil || st != http.StatusAccepted {
			t.Fatalf("send %d: status %d, %v", i, st, err)
		}
	}
	if n := conns.Load(); n < 4 || n > 8 {
		t.Errorf("%d connections for 20 sends, every fifth answer closing its connection: want about 5", n)
	}
	if ids.distinct() != 20 {
		t.Errorf("%d distinct delivery ids for 20 sends", ids.distinct())
	}
	bad := d
	bad.sig = "sha256=00"
	if st, _, err := s.send(ctx, bad); err != nil || st != http.StatusUnauthorized {
		t.Errorf("wrong signature: status %d, %v; want 401", st, err)
	}
}

// idSet is a set of strings safe for concurrent adds.
type idSet struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (s *idSet) add(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]bool{}
	}
	s.ids[v] = true
}

func (s *idSet) distinct() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}
