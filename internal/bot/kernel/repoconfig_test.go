package kernel

import (
	"errors"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/google/go-cmp/cmp"
)

func TestConfigCache(t *testing.T) {
	now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	c := &ConfigCache{TTL: time.Minute, Now: func() time.Time { return now }}
	if _, _, ok := c.get("o/r"); ok {
		t.Fatal("empty cache hit")
	}
	cfg := config.DefaultRepo()
	cfg.MaxMentees = 7
	c.put("o/r", cfg, nil)
	got, err, ok := c.get("o/r")
	if !ok || err != nil || got.MaxMentees != 7 {
		t.Fatalf("got %v %v %v", got.MaxMentees, err, ok)
	}
	broken := &ConfigError{Path: ConfigPath, Err: errors.New("bad")}
	c.put("o/broken", config.Repo{}, broken)
	if _, err, ok := c.get("o/broken"); !ok || !errors.As(err, &broken) {
		t.Errorf("a broken file is cached as broken: %v %v", err, ok)
	}
	now = now.Add(time.Minute)
	if _, _, ok := c.get("o/r"); !ok {
		t.Error("entry expired at its TTL, not after it")
	}
	now = now.Add(time.Nanosecond)
	if _, _, ok := c.get("o/r"); ok {
		t.Error("entry outlived its TTL")
	}
	var none *ConfigCache
	none.put("o/r", cfg, nil)
	if _, _, ok := none.get("o/r"); ok {
		t.Error("a nil cache caches")
	}
}

func TestConfigSource(t *testing.T) {
	tests := []struct {
		name, source, want string
	}{
		{name: "default branch: no ref, no @", source: "cohort-org/mentoring@", want: "cohort-org/mentoring"},
		{name: "org fallback without ref", source: "cohort-org/.github@", want: "cohort-org/.github"},
		{name: "known ref kept", source: "cohort-org/config@main", want: "cohort-org/config@main"},
		{name: "remote without @", source: "cohort-org/config", want: "cohort-org/config"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, configSource(tc.source)); diff != "" {
				t.Errorf("configSource(%q) (-want +got):\n%s", tc.source, diff)
			}
		})
	}
}
