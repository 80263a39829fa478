package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/progress"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// TickReport says what one tick did, for logs and `cohortbot tick`.
type TickReport struct {
	Due, Done, Busy int
}

// Tick does, for every cohort, whatever is due at now (SPEC §6): week
// boundaries, reminders, the midpoint comment, the close at the end date. It
// works from state, so it catches up after downtime and never does a thing
// twice; a cohort another worker holds is left for the next tick.
func Tick(ctx context.Context, env *kernel.Env, inst kernel.Installation, now time.Time) (TickReport, error) {
	ids, err := env.Store.DueCohorts(ctx, now)
	if err != nil {
		return TickReport{}, err
	}
	rep := TickReport{Due: len(ids)}
	var errs []error
	for _, id := range ids {
		err := tickOne(ctx, env, inst, id, now)
		switch {
		case errors.Is(err, kernel.ErrBusy):
			rep.Busy++
		case err != nil:
			zerolog.Ctx(ctx).Error().Err(err).Int64("cohort", id).Msg("scheduled work failed; retried next tick")
			errs = append(errs, err)
		default:
			rep.Done++
		}
	}
	errs = append(errs, retentionTick(ctx, env, inst, now, &rep)...)
	if err := progress.KickPendingLadders(ctx, env); err != nil {
		errs = append(errs, err)
	}
	return rep, errors.Join(errs...)
}

func tickOne(ctx context.Context, env *kernel.Env, inst kernel.Installation, id int64, now time.Time) error {
	unlock, err := env.Lock(ctx, kernel.CohortLock(id))
	if err != nil {
		return err
	}
	defer unlock()
	c, err := env.Store.Cohort(ctx, id)
	if err != nil || c.State != store.StateActive {
		return err
	}
	g, cs, err := inst(ctx, c.InstallationID)
	if err != nil {
		return err
	}
	cfg, err := cs.RepoConfig(ctx, c.Repo)
	var ce *kernel.ConfigError
	if errors.As(err, &ce) {
		return kernel.ReportConfigError(ctx, env, g, c.Repo, c.HubNumber, c.ID, ce, kernel.RetryBySchedule)
	}
	if err != nil {
		return err
	}
	s := &sched{env: env, g: g, cfg: cfg, c: c, now: now}
	if s.cal, err = cohort.NewCalendar(c.Spec); err != nil {
		return err
	}
	return s.run(ctx)
}

// sched is one cohort's scheduled work at one instant.
type sched struct {
	env *kernel.Env
	g   kernel.TickGitHub
	cfg config.Repo
	c   store.Cohort
	cal cohort.Calendar
	now time.Time
	// deferred: the budget ran low and non-urgent work was left for the
	// next tick (see yield).
	deferred bool
}

// yield reports (and remembers) that the installation's budget is low:
// reminders and the midpoint comment then wait for a later tick, while
// week boundaries (labels) and the close go ahead.
func (s *sched) yield(ctx context.Context) bool {
	s.deferred = s.deferred || s.env.Yield(ctx, s.c.InstallationID, "reminders and midpoint") != nil
	return s.deferred
}

func (s *sched) run(ctx context.Context) error {
	// A close begun earlier (a /close-cohort interrupted) is finished as
	// it began; otherwise the end date closes the cohort.
	begun, err := kernel.CloseBegun(ctx, s.env, s.c)
	if err != nil {
		return err
	}
	if begun || !s.now.Before(s.cal.Finish()) {
		return closeCohort(ctx, s.env, s.g, s.cfg, s.c, kernel.Closing{Why: "reached its end date", At: s.now})
	}
	if weeks := dueWeeks(s.cal, s.c.BoundaryDone, s.now); len(weeks) > 0 {
		to := weeks[len(weeks)-1]
		if err := s.boundaries(ctx, weeks[0], to); err != nil {
			return err
		}
		s.c.BoundaryDone = to
	}
	if s.yield(ctx) {
		return nil // the cohort stays due: the next tick resumes (SPEC §6)
	}
	if err := s.midpoint(ctx); err != nil {
		return err
	}
	if err := s.reminders(ctx); err != nil || s.deferred {
		return err
	}
	stall, err := s.stalls(ctx)
	if err != nil || s.deferred {
		return err
	}
	next := s.nextDue()
	if !stall.IsZero() && stall.Before(next) {
		next = stall
	}
	return s.env.Store.SetSchedule(ctx, s.c.ID, s.c.BoundaryDone, next)
}

// reminderAt is when week w's reminder is due (0 hours: never).
func (s *sched) reminderAt(w int) (time.Time, bool) {
	h := s.cfg.Checkin.RemindBeforeHours
	if h <= 0 || w < 1 || w > s.cal.Weeks() {
		return time.Time{}, false
	}
	return s.cal.WeekEnd(w).Add(-time.Duration(h) * time.Hour), true
}

// nextDue is the next instant with work: the end of the current week, its
// reminder, or the close.
func (s *sched) nextDue() time.Time {
	next := s.cal.Finish()
	consider := func(t time.Time) {
		if t.After(s.now) && t.Before(next) {
			next = t
		}
	}
	for w := s.c.BoundaryDone + 1; w <= s.cal.Weeks() && w <= s.c.BoundaryDone+2; w++ {
		consider(s.cal.WeekEnd(w))
		if r, ok := s.reminderAt(w); ok {
			consider(r)
		}
	}
	return next
}

// reminders mentions, once, each mentee who has not checked in when the
// current week's reminder moment has come (reminders whose week is over
// are skipped: the boundary covers them).
func (s *sched) reminders(ctx context.Context) error {
	w, ok := s.cal.WeekOf(s.now)
	at, on := s.reminderAt(w)
	if !ok || !on || s.now.Before(at) {
		return nil
	}
	st, err := render.LoadState(ctx, s.env.Store, s.c)
	if err != nil {
		return err
	}
	for _, m := range st.Members {
		if !st.Expected(m, w) || st.Checkins[strings.ToLower(m.Handle)][w].Week == w || m.Issue == 0 {
			continue
		}
		if s.yield(ctx) {
			return nil
		}
		body, err := templates.RenderReminder(templates.ReminderData{
			Mentee: m.Handle, Week: w, Ends: s.cal.WeekEnd(w).Format("Mon 2006-01-02 15:04 MST"), Sections: s.cfg.Checkin.Sections,
		})
		if err != nil {
			return err
		}
		key := kernel.RemindKeyOf(s.c.ID, w, m.Handle)
		marker := fmt.Sprintf("<!-- cohortbot:reminder week=%d -->", w)
		if _, err := s.env.Store.Once(ctx, key, func() (string, bool, error) {
			return kernel.FindComment(ctx, s.g, s.c.Repo, m.Issue, marker)
		}, func() (string, error) {
			id, err := s.g.CreateComment(ctx, s.c.Repo, m.Issue, body+"\n"+marker)
			return fmt.Sprint(id), err
		}); err != nil {
			return err
		}
	}
	return nil
}
