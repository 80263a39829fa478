package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gregjones/httpcache"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// TestHTTPCacheBounded: the server's GitHub response cache, behind
// httpcache as go-githubapp uses it, holds at most its byte budget however
// many distinct cacheable responses pass through it (httpcache's memory
// cache kept every one, per installation's client).
func TestHTTPCacheBounded(t *testing.T) {
	const budget = 1 << 20
	s, _ := serveForTest(t, testdb.SQLite(t), func(c *config.Server) { c.Limits.HTTPCacheBytes = budget }, Options{})
	page := strings.Repeat("x", 32<<10)
	gh := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"`+r.URL.Path+`"`)
		w.Header().Set("Cache-Control", "private, max-age=60")
		io.WriteString(w, page)
	}))
	defer gh.Close()
	client := &http.Client{Transport: &httpcache.Transport{Transport: http.DefaultTransport, Cache: s.responses, MarkCachedResponses: true}}
	get := func(path string) bool {
		resp, err := client.Get(gh.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.Header.Get(httpcache.XFromCache) != ""
	}
	for i := range 500 { // 16 MB of responses
		get(fmt.Sprintf("/repos/o/r/issues/%d", i))
	}
	if got := s.responses.Size(); got > budget || got < budget/2 {
		t.Errorf("cache holds %d bytes after 16 MB of responses, want between %d and %d", got, budget/2, budget)
	}
	// The most recent responses are still served from the cache, the
	// oldest ones are gone.
	got := []bool{get("/repos/o/r/issues/499"), get("/repos/o/r/issues/0")}
	if d := cmp.Diff([]bool{true, false}, got); d != "" {
		t.Errorf("from the cache: newest, oldest (-want +got):\n%s", d)
	}
}

// TestLRUCache: eviction order, replacement and the per-entry cap.
func TestLRUCache(t *testing.T) {
	tests := []struct {
		name string
		ops  func(c *lruCache)
		want []string // keys present, checked in this order
		size int64
	}{
		{name: "least recently used goes first", ops: func(c *lruCache) {
			for _, k := range "abcdefgh" { // 8 × 16 bytes: full
				c.Set(string(k), make([]byte, 15))
			}
			c.Get("a")
			c.Set("i", make([]byte, 15)) // b, the least recently used, goes
		}, want: []string{"a", "c", "d", "e", "f", "g", "h", "i"}, size: 128},
		{name: "replacing a key counts it once", ops: func(c *lruCache) {
			c.Set("a", make([]byte, 10))
			c.Set("a", make([]byte, 14))
		}, want: []string{"a"}, size: 15},
		{name: "an entry over an eighth is not kept", ops: func(c *lruCache) {
			c.Set("a", make([]byte, 10))
			c.Set("big", make([]byte, 20))
		}, want: []string{"a"}, size: 11},
		{name: "delete", ops: func(c *lruCache) {
			c.Set("a", make([]byte, 10))
			c.Delete("a")
		}, want: []string{}, size: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLRUCache(128)
			tt.ops(c)
			got := []string{}
			for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "big"} {
				if _, ok := c.Get(k); ok {
					got = append(got, k)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("keys (-want +got):\n%s", d)
			}
			if c.Size() != tt.size {
				t.Errorf("size %d, want %d", c.Size(), tt.size)
			}
		})
	}
}
