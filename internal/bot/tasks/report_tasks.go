package tasks

import (
	"context"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// taskCounts returns each mentee's done and open tasks (lower-cased handle),
// for the midpoint and final reports.
func TaskCounts(ctx context.Context, s *store.Store, c store.Cohort) (map[string]TaskCount, error) {
	tasks, err := s.CohortTasks(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := map[string]TaskCount{}
	for _, t := range tasks {
		if t.Mentee == "" {
			continue
		}
		k := strings.ToLower(t.Mentee)
		n := out[k]
		switch t.State {
		case store.TaskDone:
			n.Done++
		case store.TaskOpen:
			n.Open++
		}
		out[k] = n
	}
	return out, nil
}

// releaseCohortTasks releases a closing cohort's open tasks and returns them
// as owner/repo#N. Only the record changes: a mentee may still finish a
// review they started, and the task issues see no bot writes at closing.
func ReleaseCohortTasks(ctx context.Context, env *kernel.Env, _ kernel.TickGitHub, c store.Cohort) ([]string, error) {
	return releaseWhere(ctx, env, c, func(store.Task) bool { return true })
}

// releaseMenteeTasks releases the open tasks of a mentee who leaves the
// cohort (/withdraw, /remove-mentee) and withdraws the bot's review
// requests and assignments, so mentors can /reassign them. Idempotent.
func ReleaseMenteeTasks(ctx context.Context, x *command.Call, handle string) error {
	tasks, err := x.Env.Store.CohortTasks(ctx, x.Cohort.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.State == store.TaskOpen && strings.EqualFold(t.Mentee, handle) {
			if err := UnaskMentee(ctx, x.Env, x.GH, t, t.Mentee, t.Round); err != nil {
				return err
			}
		}
	}
	_, err = releaseWhere(ctx, x.Env, x.Cohort, func(t store.Task) bool { return strings.EqualFold(t.Mentee, handle) })
	return err
}

// releaseWhere marks the cohort's open tasks that match as released and
// re-renders the boards that show them.
func releaseWhere(ctx context.Context, env *kernel.Env, c store.Cohort, match func(store.Task) bool) ([]string, error) {
	tasks, err := env.Store.CohortTasks(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, t := range tasks {
		if t.State != store.TaskOpen || !match(t) {
			continue
		}
		t.State, t.ClosedAt = store.TaskReleased, env.Now()
		if err := env.Store.PutTask(ctx, t); err != nil {
			return nil, err
		}
		zerolog.Ctx(ctx).Info().Str("task", t.Ref()).Str("mentee", t.Mentee).Msg("task released")
		refs = append(refs, t.Ref())
		if err := requestTaskRenders(ctx, env, t); err != nil {
			return nil, err
		}
	}
	return refs, nil
}

// tasksContent renders the task board of the hub (handle "") or of one
// mentee's issue; ok false leaves the region as it is (the cohort has no
// task yet, so the "how to add one" text stays).
func TasksContent(ctx context.Context, s *store.Store, c store.Cohort, handle string) (string, bool, error) {
	tasks, err := s.CohortTasks(ctx, c.ID)
	if err != nil || len(tasks) == 0 {
		return "", false, err
	}
	loc := time.UTC
	if cal, err := cohort.NewCalendar(c.Spec); err == nil {
		loc = cal.Loc
	}
	var rows []templates.TaskRow
	for _, t := range tasks {
		rows = append(rows, stalledRows(t, handle, loc)...)
		if handle != "" && !strings.EqualFold(t.Mentee, handle) {
			continue
		}
		since := t.AssignedAt
		if !t.Live() && !t.ClosedAt.IsZero() {
			since = t.ClosedAt
		}
		rows = append(rows, templates.TaskRow{Ref: t.Ref(), URL: t.URL, Title: t.Title, PR: t.Kind == store.KindPR,
			Mentee: t.Mentee, Mentor: t.Mentor, State: t.State, Since: since.In(loc).Format("2006-01-02"), Note: stallNote(t, handle)})
	}
	if handle != "" && len(rows) == 0 {
		return "_No tasks for @" + handle + " right now._", true, nil
	}
	return templates.TaskBoard(rows, handle == ""), true, nil
}
