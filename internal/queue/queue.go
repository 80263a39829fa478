// Package queue is cohortbot's durable work: River on the store's database,
// SQLite or PostgreSQL. It hides River's per-driver transaction type behind
// closures so the rest of the service has one Queue whatever the database.
package queue

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/store"
)

// DeliveryArgs is the job for one stored webhook delivery. Its payload is
// in the delivery's row (store.DeliveryPayload), written once at intake.
type DeliveryArgs struct {
	Event      string `json:"event"`
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job kind in River's tables. A change to the args' shape
// takes a new kind: during a rolling upgrade on PostgreSQL an older replica
// does not know the new kind and leaves such jobs to be retried (River's
// unknown-kind error) until a replica of the new version takes them,
// instead of failing them as broken (TestOlderReplicaLeavesNewJobs).
func (DeliveryArgs) Kind() string { return "github_delivery" }

// Options configure a Queue.
type Options struct {
	// Workers registers the job workers; nil makes an insert-only queue
	// (for `receive` and tests that inspect jobs).
	Workers *river.Workers
	// Concurrency is the number of jobs worked at once (default 4).
	Concurrency int
	// Periodic jobs, run by the elected leader only.
	Periodic []*river.PeriodicJob
	// Logger is the service's logger: River's own warnings and errors and
	// the queue's come out through it, in its format (riverLogger); nil
	// logs them to stderr as JSON.
	Logger *zerolog.Logger
	// JobTimeout bounds one attempt of a job (default 2 minutes).
	JobTimeout time.Duration
	// PollInterval is how often an idle worker looks for new jobs
	// (default 100 ms; SQLite has no notifications). Tests and the demo
	// shorten it: each hop of a flow (delivery → render) waits for it.
	PollInterval time.Duration
	// Queues are named queues worked beside the default one, each with its
	// own workers (name → workers), so their jobs never take a default
	// worker (the ladder measurements' queue). A process that leaves a
	// queue out neither works nor waits for its jobs (Pending).
	Queues map[string]int
}

// rescueAfter is how old a running job must be before River's rescuer
// retries it. Only a job whose process died gets that old (a live attempt is
// cancelled at JobTimeout), so it is just over the timeout: River's default,
// an hour, would leave a delivery acknowledged before a SIGKILL unprocessed
// for an hour after the restart.
func rescueAfter(timeout time.Duration) time.Duration { return timeout + timeout/4 }

// riverLogger gives River (which logs through log/slog) the service's
// zerolog logger, so that its lines come out in the service's JSON beside
// the rest instead of as slog text, tagged component=river. River logs
// routine progress at info; only its warnings and errors are kept, as
// before, whatever the service's level.
func riverLogger(log zerolog.Logger) *slog.Logger {
	log = log.With().Str("component", "river").Logger()
	if log.GetLevel() < zerolog.WarnLevel {
		log = log.Level(zerolog.WarnLevel)
	}
	return slog.New(zerolog.NewSlogHandler(log))
}

// Queue inserts and works jobs.
type Queue struct {
	st      *store.Store
	intake  batcher
	sweeper sweeper
	log     zerolog.Logger
	insert  func(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	start   func(ctx context.Context) error
	stop    func(ctx context.Context) error
	events  func() (<-chan *river.Event, func())
	// worked are the queues this process works (none: insert-only).
	worked []string
}

// New builds a River client on the store.
func New(st *store.Store, opts Options) (*Queue, error) {
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = 2 * time.Minute
	}
	log := zerolog.New(os.Stderr).With().Timestamp().Logger().Level(zerolog.WarnLevel)
	if opts.Logger != nil {
		log = *opts.Logger
	}
	cfg := &river.Config{
		Logger:                      riverLogger(log),
		FetchCooldown:               20 * time.Millisecond,
		FetchPollInterval:           cmp.Or(opts.PollInterval, 100*time.Millisecond),
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		MaxAttempts:                 25,
		RetryPolicy:                 retryPolicy{},
		JobTimeout:                  opts.JobTimeout,
		RescueStuckJobsAfter:        rescueAfter(opts.JobTimeout),
		PeriodicJobs:                opts.Periodic,
	}
	if opts.Workers != nil {
		n := opts.Concurrency
		if n <= 0 {
			n = 4
		}
		cfg.Workers = opts.Workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
		for name, w := range opts.Queues {
			cfg.Queues[name] = river.QueueConfig{MaxWorkers: max(w, 1)}
		}
	}
	q := &Queue{st: st, log: log}
	for name := range cfg.Queues {
		q.worked = append(q.worked, name)
	}
	if st.Dialect == store.Postgres {
		return q, wirePostgres(q, st, cfg)
	}
	return q, wireSQLite(q, st, cfg)
}

func wireSQLite(q *Queue, st *store.Store, cfg *river.Config) error {
	client, err := river.NewClient(riversqlite.New(st.DB), cfg)
	if err != nil {
		return fmt.Errorf("create job client: %w", err)
	}
	wireCommon(q, client)
	q.intake.store = func(ctx context.Context, ds []store.Delivery) (map[string]bool, error) {
		tx, err := st.DB.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		fresh, err := st.RecordDeliveries(ctx, tx, ds)
		if err != nil {
			return nil, err
		}
		if err := insertJobs(ds, fresh, func(ps []river.InsertManyParams) error {
			_, err := client.InsertManyTx(ctx, tx, ps)
			return err
		}); err != nil {
			return nil, err
		}
		return fresh, tx.Commit()
	}
	return nil
}

func wirePostgres(q *Queue, st *store.Store, cfg *river.Config) error {
	client, err := river.NewClient(riverpgxv5.New(st.Pool), cfg)
	if err != nil {
		return fmt.Errorf("create job client: %w", err)
	}
	wireCommon(q, client)
	q.intake.store = func(ctx context.Context, ds []store.Delivery) (map[string]bool, error) {
		tx, err := st.Pool.Begin(ctx)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback(ctx)
		fresh, err := st.RecordDeliveriesPgx(ctx, tx, ds)
		if err != nil {
			return nil, err
		}
		if err := insertJobs(ds, fresh, func(ps []river.InsertManyParams) error {
			_, err := client.InsertManyTx(ctx, tx, ps)
			return err
		}); err != nil {
			return nil, err
		}
		return fresh, tx.Commit(ctx)
	}
	return nil
}

// wireCommon fills the operations that do not depend on the transaction type.
func wireCommon[TTx any](q *Queue, client *river.Client[TTx]) {
	q.insert = func(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
		return client.Insert(ctx, args, opts)
	}
	q.start = client.Start
	q.stop = client.Stop
	q.events = func() (<-chan *river.Event, func()) {
		return client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
			river.EventKindJobCancelled, river.EventKindJobSnoozed)
	}
}

// insertJobs inserts the jobs of the fresh deliveries among ds, all in one
// statement, through insert (River's InsertManyTx in the transaction that
// stored them).
func insertJobs(ds []store.Delivery, fresh map[string]bool, insert func([]river.InsertManyParams) error) error {
	ps := make([]river.InsertManyParams, 0, len(fresh))
	for _, d := range ds {
		if fresh[d.ID] {
			ps = append(ps, river.InsertManyParams{Args: DeliveryArgs{Event: d.Event, DeliveryID: d.ID}})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	if err := insert(ps); err != nil {
		return fmt.Errorf("insert jobs: %w", err)
	}
	return nil
}

// EnqueueDelivery stores the delivery (id, event, payload) and its job
// durably, in one transaction shared with the deliveries that arrive
// meanwhile (group commit), and returns once that transaction has
// committed. It returns false, with no job inserted, when the delivery id
// was seen before.
func (q *Queue) EnqueueDelivery(ctx context.Context, event, deliveryID string, payload []byte) (bool, error) {
	return q.intake.enqueue(ctx, store.Delivery{ID: deliveryID, Event: event, Payload: payload})
}

// Insert adds a job outside any delivery.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return q.insert(ctx, args, opts)
}

// Start begins working jobs, and sweeping the payloads left behind.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.start(ctx); err != nil {
		return err
	}
	q.sweeper.start(ctx, q.st, q.log)
	return nil
}

// Stop waits for running jobs to finish.
func (q *Queue) Stop(ctx context.Context) error {
	q.sweeper.stop()
	return q.stop(ctx)
}

// Subscribe streams job outcomes (completed, failed, cancelled, snoozed).
func (q *Queue) Subscribe() (<-chan *river.Event, func()) { return q.events() }

// Pending counts jobs not yet finished (available, scheduled, retryable,
// running, pending), for tests and the demo that wait for quiet.
func (q *Queue) Pending(ctx context.Context) (int, error) {
	var n int
	q1 := `SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending')`
	var args []any
	if len(q.worked) > 0 {
		q1 += ` AND queue IN (?` + strings.Repeat(`, ?`, len(q.worked)-1) + `)`
		for _, w := range q.worked {
			args = append(args, w)
		}
	}
	err := q.st.QueryRow(ctx, q1, args...).Scan(&n)
	return n, err
}
