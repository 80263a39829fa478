package progress

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"
)

// LadderArgs is the job that runs an installation's pending measurements.
type LadderArgs struct {
	Installation int64 `json:"installation"`
}

// Kind names the job kind.
func (LadderArgs) Kind() string { return "ladder" }

// LadderQueue is the River queue of ladder jobs, worked by `serve` with
// workers of its own: a measurement waiting for the search limit never
// takes a worker from check-ins, commands or renders, and a one-shot
// process (`cohortbot tick`) queues the sweep without waiting for it.
const LadderQueue = "ladder"

// LadderGitHub is what measuring needs: the search, the two look-ups that
// explain a refused search, and what marking a mentee ready writes.
type LadderGitHub interface {
	CountIssues(ctx context.Context, query string) (ladder.Count, ladder.Quota, error)
	UserExists(ctx context.Context, login string) (bool, error)
	RepoVisible(ctx context.Context, repo string) (bool, error)
	kernel.Commenter
	kernel.Labeler
}

// queueLadder queues the measurements of the named mentees (all active
// mentees when none are named) of cohort c under cfg, and the ladder job
// that runs them. It reports the mentees queued. Requirements the config no
// longer measures are forgotten.
func QueueLadder(ctx context.Context, e *kernel.Env, cfg config.Repo, c store.Cohort, handles ...string) ([]store.Member, error) {
	queued, err := queueMeasurements(ctx, e, cfg, c, handles...)
	if err != nil || len(queued) == 0 {
		return queued, err
	}
	return queued, KickLadder(ctx, e, c.InstallationID)
}

// queueMeasurements queues the rows of queueLadder without the job (the
// caller measures them itself first, then kicks the job for what is left).
func queueMeasurements(ctx context.Context, e *kernel.Env, cfg config.Repo, c store.Cohort, handles ...string) ([]store.Member, error) {
	l := cfg.Track(c.Spec.Step).Ladder
	reqs := l.Measured()
	members, err := e.Store.Members(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var since *cohort.Date
	if l.FromCohortStart() {
		since = &c.Spec.Start
	}
	owner, _ := gh.Split(c.Repo)
	var queued []store.Member
	for _, m := range members {
		if m.Role != store.RoleMentee || m.Status != store.StatusActive || !kernel.Named(handles, m.Handle) {
			continue
		}
		if err := e.Store.DropMeasurements(ctx, c.ID, m.Handle, reqs); err != nil {
			return nil, err
		}
		for _, r := range reqs {
			q := ladder.Query(r, m.Handle, l.ScopeOr(owner), since)
			if err := e.Store.QueueMeasurement(ctx, store.Measurement{CohortID: c.ID, Installation: c.InstallationID,
				Handle: m.Handle, Requirement: r, Target: l.Requirements[r], Query: q}, e.Now()); err != nil {
				return nil, err
			}
		}
		queued = append(queued, m)
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	return queued, nil
}

// ladderUnique: one ladder job per installation. River counts a running
// job as a duplicate too; the running job finds what was queued meanwhile
// (it reads the pending rows until none is left), and a row queued in the
// instant it finishes is picked up by the next tick (KickPendingLadders).
var ladderUnique = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}}

// KickLadder makes sure the installation's ladder job will run (one job per
// installation waiting at a time; a running one finds what was queued
// meanwhile). Without a queue (tests of the flows alone) it does nothing.
func KickLadder(ctx context.Context, e *kernel.Env, installation int64) error {
	if e.Jobs == nil {
		return nil
	}
	_, err := e.Jobs.Insert(ctx, LadderArgs{Installation: installation}, &river.InsertOpts{Queue: LadderQueue, UniqueOpts: ladderUnique, Priority: 4})
	if err != nil {
		return fmt.Errorf("queue ladder measurements: %w", err)
	}
	return nil
}

// KickPendingLadders queues the ladder job of every installation with
// measurements pending (the scheduler's tick: a job lost with its process
// is replaced; the rows themselves never are lost).
func KickPendingLadders(ctx context.Context, env *kernel.Env) error {
	ids, err := env.Store.PendingInstallations(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := KickLadder(ctx, env, id); err != nil {
			return err
		}
	}
	return nil
}

// MeasureLadder runs the installation's pending measurements, oldest first,
// until none is left or the search limit says wait (then *gh.RateLimited
// with the instant to resume; the job is snoozed until then).
func MeasureLadder(ctx context.Context, env *kernel.Env, g LadderGitHub, installation int64) error {
	for {
		m, err := env.Store.NextMeasurement(ctx, installation)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := measureOne(ctx, env, g, m); err != nil {
			return err
		}
		if err := settleIfMeasured(ctx, env, g, m.CohortID, m.Handle); err != nil {
			return err
		}
	}
}

// measureOne runs one search (when the pacer allows) and records its
// answer. A 422 (an account renamed or deleted, a repository out of sight)
// is recorded as why it could not be measured, and the sweep goes on.
func measureOne(ctx context.Context, env *kernel.Env, g LadderGitHub, m store.Measurement) error {
	p := env.SearchPacer()
	if at, ok := p.Take(m.Installation); !ok {
		return &gh.RateLimited{Installation: m.Installation, Until: at, Reason: gh.ReasonSearch}
	}
	count, q, err := g.CountIssues(ctx, m.Query)
	if q.Known && err == nil {
		p.Observe(m.Installation, q.Remaining, q.Reset)
	}
	var rl *gh.RateLimited
	switch {
	case errors.As(err, &rl):
		until := q.Until(env.Now())
		p.Pause(m.Installation, until)
		zerolog.Ctx(ctx).Info().Int64("installation", m.Installation).Time("until", until).Msg("search limit reached; ladder measurements wait")
		return &gh.RateLimited{Installation: m.Installation, Until: until, Reason: gh.ReasonSearch}
	case gh.IsUnprocessable(err):
		why, xerr := explainRefusedSearch(ctx, g, m)
		if xerr != nil {
			return xerr
		}
		zerolog.Ctx(ctx).Warn().Str("mentee", m.Handle).Str("query", m.Query).Str("why", why).Msg("ladder requirement could not be measured")
		m.Failure, m.Total, m.Incomplete = why, 0, false
	case err != nil:
		why, refused := gh.SearchRefused(err)
		if !refused {
			return err
		}
		m.Failure, m.Total, m.Incomplete = why, 0, false
	default:
		m.Total, m.Incomplete, m.Failure = count.Total, count.Incomplete, ""
	}
	return env.Store.RecordMeasurement(ctx, m, env.Now())
}

// explainRefusedSearch names why GitHub refused a search (it says only
// that some user or repository cannot be searched): the mentee's account
// is gone, or a scope repository is out of the App's sight.
func explainRefusedSearch(ctx context.Context, g LadderGitHub, m store.Measurement) (string, error) {
	ok, err := g.UserExists(ctx, m.Handle)
	if err != nil {
		return "", err
	}
	if !ok {
		return fmt.Sprintf("GitHub has no account %s any more (renamed or deleted?)", m.Handle), nil
	}
	var unseen []string
	for _, t := range strings.Fields(m.Query) {
		repo, isRepo := strings.CutPrefix(t, "repo:")
		if !isRepo {
			continue
		}
		if ok, err := g.RepoVisible(ctx, repo); err != nil {
			return "", err
		} else if !ok {
			unseen = append(unseen, repo)
		}
	}
	if len(unseen) > 0 {
		return "the App cannot see " + strings.Join(unseen, ", ") + " (scope); nothing there is counted", nil
	}
	return "GitHub refused the search (an account or repository of the scope does not exist or is not visible)", nil
}
