package queue

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
)

// sweepEvery is how often a running queue clears the payloads its workers
// left behind; the first sweep comes a minute after the start, out of the
// way of a restart's backlog.
const (
	sweepEvery = time.Hour
	sweepFirst = time.Minute
)

// sweeper runs store.SweepPayloads while the queue works jobs. Every
// replica sweeps; the statement is idempotent.
type sweeper struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func (s *sweeper) start(ctx context.Context, st *store.Store, log zerolog.Logger) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		t := time.NewTimer(sweepFirst)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := st.SweepPayloads(ctx, time.Now().Add(-store.PayloadRetention)); err != nil && ctx.Err() == nil {
				log.Warn().Err(err).Msg("sweep of delivery payloads failed; tried again later")
			}
			t.Reset(sweepEvery)
		}
	}()
}

func (s *sweeper) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	s.cancel = nil
}
