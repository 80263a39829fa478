package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/testdb"
)

// The last write to an issue only moves forward, per issue, and the repo's
// case does not matter (GitHub's names are case-insensitive).
func TestIssueWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, ok, err := s.LastIssueWrite(ctx, "org/m", 4); err != nil || ok {
			t.Fatalf("before any write: ok=%v err=%v", ok, err)
		}
		t1 := time.UnixMilli(1_800_000_000_123)
		t0 := t1.Add(-time.Minute)
		for _, at := range []time.Time{t1, t0} {
			if err := s.NoteIssueWrite(ctx, "Org/M", 4, at); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.NoteIssueWrite(ctx, "org/m", 5, t0); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.LastIssueWrite(ctx, "org/m", 4)
		if err != nil || !ok || !got.Written.Equal(t1) {
			t.Fatalf("issue 4: got %v ok=%v err=%v; want %v (an older write never moves it back)", got, ok, err, t1)
		}
		got, ok, err = s.LastIssueWrite(ctx, "ORG/M", 5)
		if err != nil || !ok || !got.Written.Equal(t0) || got.OutsideSHA != "" {
			t.Fatalf("issue 5: got %+v ok=%v err=%v; want written %v, no body", got, ok, err, t0)
		}
		// A body write keeps the write time and records its base and hash.
		if err := s.NoteBodyWrite(ctx, "org/m", 5, t1, "abc"); err != nil {
			t.Fatal(err)
		}
		if err := s.NoteBodyWrite(ctx, "org/m", 6, t1, "def"); err != nil {
			t.Fatal(err)
		}
		got, _, _ = s.LastIssueWrite(ctx, "org/m", 5)
		if !got.Written.Equal(t0) || !got.Base.Equal(t1) || got.OutsideSHA != "abc" {
			t.Fatalf("issue 5 after a body write: %+v", got)
		}
		got, ok, _ = s.LastIssueWrite(ctx, "org/m", 6)
		if !ok || !got.Base.Equal(t1) || got.OutsideSHA != "def" || got.Labels != nil || !got.LabelsBase.IsZero() {
			t.Fatalf("issue 6 (body noted first): ok=%v %+v", ok, got)
		}
		// A label-set write is kept beside the body's.
		if err := s.NoteLabelsWrite(ctx, "org/m", 6, t0, []string{"cohort/mentee", "checkin/week-2"}); err != nil {
			t.Fatal(err)
		}
		got, _, _ = s.LastIssueWrite(ctx, "org/m", 6)
		if !got.LabelsBase.Equal(t0) || !got.Base.Equal(t1) || got.OutsideSHA != "def" ||
			len(got.Labels) != 2 || got.Labels[1] != "checkin/week-2" {
			t.Fatalf("issue 6 after a label-set write: %+v", got)
		}
	})
}
