package schedule

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// stallCause is the cause of a hand-over made because round stalled.
func stallCause(round int) string { return "stall:" + strconv.Itoa(round) }

// stallRound is the round whose stall made t's current assignment (0: none).
func stallRound(t store.Task) int {
	r, err := strconv.Atoi(strings.TrimPrefix(t.Cause, "stall:"))
	if err != nil || !strings.HasPrefix(t.Cause, "stall:") {
		return 0
	}
	return r
}

func remindKey(t store.Task, k tasks.StallClock) string { return kernel.RemindTaskKey(t, k.Base) }

// stalls does the cohort's due stall work (SPEC §13) and returns the next
// instant with some (zero: none). Each reminder and release has its effect
// key, so redeliveries, restarts and concurrent ticks do each once; a
// release a crash interrupted is finished first.
func (s *sched) stalls(ctx context.Context) (time.Time, error) {
	open, err := s.env.Store.CohortTasks(ctx, s.c.ID)
	if err != nil {
		return time.Time{}, err
	}
	for _, t := range open {
		if err := s.stallWork(ctx, t); err != nil || s.deferred {
			return time.Time{}, err
		}
	}
	if open, err = s.env.Store.CohortTasks(ctx, s.c.ID); err != nil {
		return time.Time{}, err
	}
	var next time.Time
	for _, t := range open {
		if !tasks.Stallable(t) {
			continue
		}
		k := tasks.StallOf(t, s.cfg.Tasks)
		reminded, err := s.reminded(ctx, t, k)
		if err != nil {
			return time.Time{}, err
		}
		if n := k.Next(s.now, reminded); !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
	}
	return next, nil
}

// stallWork does what is due for one task at s.now.
func (s *sched) stallWork(ctx context.Context, t store.Task) error {
	if r := stallRound(t); r > 0 && t.Live() {
		if e, err := s.env.Store.GetEffect(ctx, kernel.ReleaseKey(t, r)); err == nil && e.State == store.EffectPending {
			return s.release(ctx, t, r) // a release a crash interrupted
		}
	}
	if !tasks.Stallable(t) {
		return nil
	}
	k := tasks.StallOf(t, s.cfg.Tasks)
	reminded, err := s.reminded(ctx, t, k)
	if err != nil {
		return err
	}
	step := k.Step(s.now, reminded)
	if step == tasks.StallNone || s.yield(ctx) {
		return nil
	}
	if step == tasks.StallRemind {
		return s.remindStalled(ctx, t, k)
	}
	return s.release(ctx, t, t.Round)
}

// reminded reports whether this stall of t (its round, since its clock's
// base) had its reminder.
func (s *sched) reminded(ctx context.Context, t store.Task, k tasks.StallClock) (bool, error) {
	e, err := s.env.Store.GetEffect(ctx, remindKey(t, k))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && e.State != store.EffectPending, err
}

// remindStalled mentions the mentee once on the task.
func (s *sched) remindStalled(ctx context.Context, t store.Task, k tasks.StallClock) error {
	loc := time.UTC
	if cal, err := cohort.NewCalendar(s.c.Spec); err == nil {
		loc = cal.Loc
	}
	body, err := templates.RenderTaskRemind(templates.TaskRemindData{
		Mentee: t.Mentee, Cohort: s.c.Spec.Name, Days: s.cfg.Tasks.RemindAfterDays,
		ReleaseOn: k.ReleaseAt.In(loc).Format("2006-01-02"), ReleaseDays: s.cfg.Tasks.ReleaseAfterDays,
	})
	if err != nil {
		return err
	}
	marker := fmt.Sprintf("<!-- cohortbot:task-remind round=%d since=%d -->", t.Round, k.Base.Unix())
	_, err = s.env.Store.Once(ctx, remindKey(t, k), func() (string, bool, error) {
		return kernel.FindComment(ctx, s.g, t.Repo, t.Number, marker)
	}, func() (string, error) {
		zerolog.Ctx(ctx).Info().Str("task", t.Ref()).Str("mentee", t.Mentee).Msg("reminding the mentee of a stalled task")
		id, err := s.g.CreateComment(ctx, t.Repo, t.Number, body+"\n"+marker)
		return strconv.FormatInt(id, 10), err
	})
	return err
}

// release hands the task whose round stalled to the next mentee as /pass
// does (never back to anyone who passed it or let it stall), or to nobody
// when no other mentee can take it, once.
func (s *sched) release(ctx context.Context, t store.Task, round int) error {
	_, err := s.env.Store.Once(ctx, kernel.ReleaseKey(t, round), nil, func() (string, error) {
		return "done", s.handOver(ctx, t, round)
	})
	return err
}

// handOver is release's work; after a crash it finds the hand-over
// recorded and finishes its GitHub side only.
func (s *sched) handOver(ctx context.Context, t store.Task, round int) error {
	cur, err := s.env.Store.Task(ctx, t.Repo, t.Number)
	if err != nil {
		return err
	}
	if cur.Cause == stallCause(round) {
		return tasks.ResumeTask(ctx, s.env, s.g, cur)
	}
	prev := t.Mentee
	if err := tasks.UnaskMentee(ctx, s.env, s.g, t, prev, t.Round); err != nil {
		return err
	}
	target, err := tasks.ChooseMentee(ctx, s.env, s.g, s.c, t, s.cfg.Tasks.MaxOpenPerMentee, append([]string{prev}, t.Passed...)...)
	if err != nil && !errors.Is(err, tasks.ErrAllFull) {
		return err
	}
	t.Passed = append(t.Passed, strings.ToLower(prev))
	t.Stalled = append(t.Stalled, tasks.StallNote{Mentee: prev, Days: s.cfg.Tasks.ReleaseAfterDays, At: s.now}.String())
	t.LastActivity = time.Time{}
	zerolog.Ctx(ctx).Info().Str("task", t.Ref()).Str("from", prev).Str("to", target).Msg("stalled task released")
	if err := tasks.HandTo(ctx, s.env, s.g, s.c, t, target, stallCause(round)); err != nil {
		return err
	}
	return s.env.RequestRenders(ctx, s.c.ID, kernel.TargetMentee(prev))
}
