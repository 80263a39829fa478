package tasks

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// Task event actions.
const (
	TaskLabeled   = "labeled"
	TaskUnlabeled = "unlabeled"
	TaskClosed    = "closed"
	TaskReviewed  = "reviewed"
	// TaskPushed: commits pushed to a pull request (pull_request
	// synchronize), activity by the pusher (SPEC §13).
	TaskPushed = "synchronize"
)

// TaskEvent is what the task flows need from issues, pull_request and
// pull_request_review events.
type TaskEvent struct {
	Installation int64
	Repo         string
	Number       int
	PR           bool
	Title        string
	URL          string
	Action       string // TaskLabeled, TaskUnlabeled, TaskClosed or TaskReviewed
	Label        string // the label added or removed
	Sender       string // who labelled, closed or reviewed
	// Completed: a closed issue's reason is "completed", or a closed pull
	// request was merged.
	Completed bool
	// At is when the event happened, per its payload (zero: unknown).
	At time.Time
}

// HandleTaskEvent runs the mentor-curated task flow (SPEC §4) for one event
// on an issue or pull request of any repository of the installation.
func HandleTaskEvent(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, cs kernel.ConfigSource, ev TaskEvent) error {
	switch ev.Action {
	case TaskLabeled:
		return taskLabeled(ctx, env, g, cs, ev)
	case TaskPushed:
		return RecordTaskActivity(ctx, env, ev.Repo, ev.Number, ev.Sender, ev.At)
	}
	return taskFollow(ctx, env, ev)
}

// taskLabeled turns a label added by a mentor of an active cohort into a
// task. The first question goes to the database (is the sender a mentor at
// all?), so a label added by anyone else costs no GitHub call.
func taskLabeled(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, cs kernel.ConfigSource, ev TaskEvent) error {
	log := zerolog.Ctx(ctx)
	ids, err := env.Store.MentorCohorts(ctx, ev.Installation, ev.Sender)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		log.Debug().Str("sender", ev.Sender).Msg("skip: label added by someone who mentors no active cohort")
		return nil
	}
	cohorts, err := cohortsWithTaskLabel(ctx, env, cs, ids, ev.Label)
	if err != nil || len(cohorts) == 0 {
		if err == nil {
			log.Debug().Str("label", ev.Label).Msg("skip: not the task label of the mentor's cohorts")
		}
		return err
	}
	unlock, err := env.LockKey(ctx, kernel.CohortLock(cohorts[0].ID))
	if err != nil {
		return err
	}
	defer unlock()
	t, err := env.Store.Task(ctx, ev.Repo, ev.Number)
	switch {
	case err == nil && t.Live():
		return ResumeTask(ctx, env, g, t) // a redelivery, or a retry after a crash
	case err == nil && t.State == store.TaskDone:
		log.Info().Str("task", t.Ref()).Msg("task already done; label ignored")
		return nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	t = store.Task{Repo: ev.Repo, Number: ev.Number, InstallationID: ev.Installation, Kind: store.KindIssue,
		Title: ev.Title, URL: ev.URL, Label: ev.Label, Mentor: ev.Sender, Round: t.Round, CreatedAt: env.Now()}
	if ev.PR {
		t.Kind = store.KindPR
	}
	if len(cohorts) > 1 {
		return askCohort(ctx, env, g, t, cohorts)
	}
	cfg, err := cs.RepoConfig(ctx, cohorts[0].Repo)
	if err != nil {
		return err // cohortsWithTaskLabel just read it: a broken file left no cohort
	}
	return assignNew(ctx, env, g, cohorts[0], t, cfg.Tasks.MaxOpenPerMentee, "label")
}

// cohortsWithTaskLabel keeps the cohorts whose mentoring repository
// configures label as its task label. A broken config is the organizers'
// to fix on their own issues; here it only means "not this cohort".
func cohortsWithTaskLabel(ctx context.Context, env *kernel.Env, cs kernel.ConfigSource, ids []int64, label string) ([]store.Cohort, error) {
	type result struct {
		ok  bool
		err error
	}
	byRepo := map[string]result{}
	var out []store.Cohort
	for _, id := range ids {
		c, err := env.Store.Cohort(ctx, id)
		if err != nil {
			return nil, err
		}
		r, seen := byRepo[strings.ToLower(c.Repo)]
		if !seen {
			cfg, err := cs.RepoConfig(ctx, c.Repo)
			var ce *kernel.ConfigError
			if errors.As(err, &ce) {
				zerolog.Ctx(ctx).Warn().Err(err).Str("repo", c.Repo).Msg("broken cohortbot config; its cohorts take no tasks until it is fixed")
				err = nil
			}
			r = result{ok: err == nil && ce == nil && cfg.IsTaskLabel(label), err: err}
			byRepo[strings.ToLower(c.Repo)] = r
		}
		if r.err != nil {
			return nil, r.err
		}
		if r.ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// taskFollow follows a task to its end: done when the mentee reviews or the
// issue/PR is closed by its resolution, cancelled when the task label (or
// mentoring/task) is removed or it is closed otherwise.
func taskFollow(ctx context.Context, env *kernel.Env, ev TaskEvent) error {
	log := zerolog.Ctx(ctx)
	t, err := env.Store.Task(ctx, ev.Repo, ev.Number)
	if errors.Is(err, store.ErrNotFound) {
		log.Debug().Msg("skip: not a mentoring task")
		return nil
	}
	if err != nil || !t.Live() {
		return err
	}
	unlock, err := env.LockKey(ctx, kernel.CohortLock(kernel.TaskLockID(t)))
	if err != nil {
		return err
	}
	defer unlock()
	if t, err = env.Store.Task(ctx, ev.Repo, ev.Number); err != nil || !t.Live() {
		return err
	}
	state := followState(t, ev)
	if state == "" {
		return nil
	}
	if ev.Action == TaskUnlabeled && ev.Label == kernel.LabelTask {
		// Labelled again later, the task gets mentoring/task back.
		if err := env.Store.PutEffect(ctx, taskLabelKey(t), store.EffectPending, ""); err != nil {
			return err
		}
	}
	t.State, t.ClosedAt = state, env.Now()
	if ev.Title != "" {
		t.Title = ev.Title // the board shows the latest title
	}
	if err := env.Store.PutTask(ctx, t); err != nil {
		return err
	}
	log.Info().Str("task", t.Ref()).Str("state", state).Str("mentee", t.Mentee).Msg("task finished")
	return requestTaskRenders(ctx, env, t)
}

// followState is the state an event moves a live task to ("" for none).
func followState(t store.Task, ev TaskEvent) string {
	switch ev.Action {
	case TaskUnlabeled:
		if strings.EqualFold(ev.Label, t.Label) || ev.Label == kernel.LabelTask {
			return store.TaskCancelled
		}
	case TaskClosed:
		if ev.Completed && t.State == store.TaskOpen {
			return store.TaskDone
		}
		return store.TaskCancelled
	case TaskReviewed:
		if t.State == store.TaskOpen && t.Mentee != "" && strings.EqualFold(ev.Sender, t.Mentee) {
			return store.TaskDone
		}
	}
	return ""
}

// requestTaskRenders re-renders the boards that show the task.
func requestTaskRenders(ctx context.Context, env *kernel.Env, t store.Task, others ...string) error {
	if t.CohortID == 0 {
		return nil
	}
	targets := []string{kernel.TargetHub}
	for _, h := range append([]string{t.Mentee}, others...) {
		if h != "" {
			targets = append(targets, kernel.TargetMentee(h))
		}
	}
	return env.RequestRenders(ctx, t.CohortID, targets...)
}
