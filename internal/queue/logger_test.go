package queue_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riverqueue/river"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/queue"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// lines is a log sink the queue's goroutines write to while the test reads.
type lines struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *lines) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// knownArgs is the one kind the workers of TestRiverLogsAsServiceJSON know.
type knownArgs struct{}

func (knownArgs) Kind() string { return "known_kind" }

type knownWorker struct {
	river.WorkerDefaults[knownArgs]
}

func (*knownWorker) Work(context.Context, *river.Job[knownArgs]) error { return nil }

// unknownArgs is a kind no worker handles: River logs an error for it.
type unknownArgs struct{}

func (unknownArgs) Kind() string { return "unknown_kind" }

// riverLine is what an operator's log query reads from one of River's lines.
type riverLine struct {
	Level     string `json:"level"`
	Component string `json:"component"`
	Kind      string `json:"kind"`
	Service   string `json:"service"`
}

// TestRiverLogsAsServiceJSON: River's own lines (here its error for a job
// of a kind no worker knows) come out through the service's zerolog logger,
// as JSON with the logger's fields, not as slog text on stderr; its routine
// info lines stay out even when the service logs at debug.
func TestRiverLogsAsServiceJSON(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(st.Close)
		// An insert-only queue takes any kind, as another version's would.
		intake, err := queue.New(st, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := intake.Insert(ctx, unknownArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		out := &lines{}
		log := zerolog.New(out).With().Str("service", "cohortbot").Logger()
		workers := river.NewWorkers()
		river.AddWorker(workers, &knownWorker{})
		q, err := queue.New(st, queue.Options{Workers: workers, Logger: &log})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); !strings.Contains(out.String(), "Unhandled job kind") && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		if err := q.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		var got []riverLine
		for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if l == "" {
				continue
			}
			var rl riverLine
			if err := json.Unmarshal([]byte(l), &rl); err != nil {
				t.Fatalf("a log line is not JSON (%v): %s", err, l)
			}
			if rl.Component == "river" && rl.Level != "warn" && rl.Level != "error" {
				t.Errorf("River's routine %s line reached the log: %s", rl.Level, l)
			}
			var m struct{ Message string }
			_ = json.Unmarshal([]byte(l), &m)
			if strings.Contains(m.Message, "Unhandled job kind") {
				got = append(got, rl)
			}
		}
		want := riverLine{Level: "error", Component: "river", Kind: "unknown_kind", Service: "cohortbot"}
		if len(got) == 0 {
			t.Fatalf("no line about the unhandled kind in the service's log:\n%s", out)
		}
		if diff := cmp.Diff(want, got[0]); diff != "" {
			t.Errorf("River's line (-want +got):\n%s", diff)
		}
	})
}
