package gh

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestSearchQuotaAndLimit(t *testing.T) {
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "7")
	h.Set("X-RateLimit-Reset", "1800000000")
	h.Set("X-RateLimit-Resource", "search")
	if q := quotaOf(h); !q.Known || q.Remaining != 7 || !q.Reset.Equal(time.Unix(1800000000, 0)) {
		t.Errorf("search headers: %+v", q)
	}
	h.Set("X-From-Cache", "1")
	if q := quotaOf(h); q.Known {
		t.Error("a cached answer's headers are stale")
	}
	h.Del("X-From-Cache")
	h.Set("X-RateLimit-Resource", "core")
	if q := quotaOf(h); q.Known {
		t.Error("the core quota is not the search quota")
	}

	resp := &http.Response{StatusCode: http.StatusForbidden, Header: http.Header{"Retry-After": {"42"}}}
	q, ok := searchLimit(&github.RateLimitError{Response: resp}, &github.Response{Response: resp})
	if !ok || q.RetryAfter != 42*time.Second {
		t.Errorf("403 with Retry-After: %+v %v", q, ok)
	}
	reset := time.Unix(1800000060, 0)
	q, ok = searchLimit(&github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: reset}}, Response: &http.Response{Header: http.Header{}}}, nil)
	if !ok || !q.Reset.Equal(reset) || q.RetryAfter != 0 {
		t.Errorf("go-github's own refusal: %+v %v", q, ok)
	}
	if _, ok := searchLimit(&github.ErrorResponse{Response: &http.Response{StatusCode: 422}}, nil); ok {
		t.Error("a 422 is no rate limit")
	}
	if why, ok := SearchRefused(&github.ErrorResponse{Response: &http.Response{StatusCode: 400}, Message: "bad query"}); !ok || why == "" {
		t.Error("a 400 is refused for good")
	}
	if _, ok := SearchRefused(&github.ErrorResponse{Response: &http.Response{StatusCode: 502}}); ok {
		t.Error("a 502 is retried")
	}
	if !isSearch("/api/v3/search/issues") || isSearch("/repos/o/r/issues") {
		t.Error("isSearch")
	}
}
