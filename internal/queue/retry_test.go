package queue

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
)

func TestRetryPolicy(t *testing.T) {
	tests := []struct {
		name   string
		errors int // recorded before this failure
		want   time.Duration
	}{
		{"first failure", 0, time.Second},
		{"second", 1, 2 * time.Second},
		{"fifth", 4, 16 * time.Second},
		{"capped", 12, time.Hour},
		{"far past the cap", 40, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, tt.errors)}
			got := time.Until(retryPolicy{}.NextRetry(job))
			if lo, hi := tt.want*85/100, tt.want*115/100; got < lo || got > hi {
				t.Errorf("next retry in %s, want %s ±10%%", got, tt.want)
			}
		})
	}
}
