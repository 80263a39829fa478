package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// followUpPlan says which of the follow-ups days (after closed) are due at
// now and not finished, and when the first later one comes due (zero: none).
func followUpPlan(closed time.Time, days []int, finished map[int]bool, now time.Time) (due []int, next time.Time) {
	for _, d := range days {
		at := closed.Add(time.Duration(d) * kernel.Day)
		switch {
		case finished[d]:
		case !now.Before(at):
			due = append(due, d)
		case next.IsZero() || at.Before(next):
			next = at
		}
	}
	return due, next
}

// retentionTotals counts the figures: mentees, active, graduated,
// graduated and active.
func retentionTotals(ms []templates.RetentionMentee) (total, active, graduated, gradActive int) {
	for _, m := range ms {
		total++
		if m.Active {
			active++
		}
		if m.Outcome == "graduated" {
			graduated++
			if m.Active {
				gradActive++
			}
		}
	}
	return total, active, graduated, gradActive
}

// retentionScope is where a cohort's mentees are measured (SPEC §12: the
// track's scope, searched as in §10): tracks.<step>.scope, by default the
// mentoring repository's owner.
func retentionScope(cfg config.Repo, c store.Cohort) []string {
	owner, _, _ := strings.Cut(c.Repo, "/")
	return cfg.Track(c.Spec.Step).ScopeOr(owner)
}

// scopeTerms writes a scope as GitHub search terms (repo:o/n, org:o).
func scopeTerms(scope []string) string {
	var terms []string
	for _, s := range scope {
		if strings.Contains(s, "/") {
			terms = append(terms, "`repo:"+s+"`")
		} else {
			terms = append(terms, "`org:"+s+"`")
		}
	}
	return strings.Join(terms, " ")
}

// retentionTick does the retention work due at now on every completed
// cohort; without a Measurer there is nothing to measure with, and nothing
// is planned.
func retentionTick(ctx context.Context, env *kernel.Env, inst kernel.Installation, now time.Time, rep *TickReport) []error {
	if env.Measurer == nil {
		return nil
	}
	ids, unplanned, err := env.Store.RetentionDue(ctx, now)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, id := range ids {
		err := retentionOne(ctx, env, inst, id, now)
		if unplanned[id] && err == nil {
			continue // planned only: no follow-up was due
		}
		rep.Due++
		switch {
		case errors.Is(err, kernel.ErrBusy):
			rep.Busy++
		case err != nil:
			zerolog.Ctx(ctx).Error().Err(err).Int64("cohort", id).Msg("retention follow-up failed; retried next tick")
			errs = append(errs, err)
		default:
			rep.Done++
		}
	}
	return errs
}

// retentionOne does cohort id's due follow-ups and plans the next one.
func retentionOne(ctx context.Context, env *kernel.Env, inst kernel.Installation, id int64, now time.Time) error {
	unlock, err := env.Lock(ctx, kernel.CohortLock(id))
	if err != nil {
		return err
	}
	defer unlock()
	c, err := env.Store.Cohort(ctx, id)
	if err != nil || c.State != store.StateCompleted {
		return err
	}
	log := zerolog.Ctx(ctx).With().Int64("cohort", id).Str("repo", c.Repo).Logger()
	closed, ok, err := closedAt(ctx, env, c)
	if err != nil || !ok {
		if err == nil {
			log.Warn().Msg("completed cohort without a close record: no retention follow-ups")
			err = env.Store.SetRetentionDue(ctx, id, time.Time{})
		}
		return err
	}
	g, cs, err := inst(ctx, c.InstallationID)
	if err != nil {
		return err
	}
	cfg, err := cs.RepoConfig(ctx, c.Repo)
	var ce *kernel.ConfigError
	if errors.As(err, &ce) {
		log.Warn().Err(err).Msg("broken cohortbot config: retention follow-ups wait a day for a fix")
		return env.Store.SetRetentionDue(ctx, id, now.Add(kernel.Day))
	}
	if err != nil {
		return err
	}
	finished, err := finishedFollowUps(ctx, env.Store, id, cfg.Retention.FollowUpDays)
	if err != nil {
		return err
	}
	due, next := followUpPlan(closed, cfg.Retention.FollowUpDays, finished, now)
	r := &retention{env: env, g: g, cfg: cfg, c: c, closed: closed, now: now}
	for _, d := range due {
		if err := r.followUp(ctx, d); err != nil {
			return err
		}
	}
	return env.Store.SetRetentionDue(ctx, id, next)
}

// closedAt is when c closed, from its close record — at the latest the end
// of its end date: a close the scheduler did late (after downtime) still
// ended the cohort then, and the mentees' pull requests since count.
func closedAt(ctx context.Context, env *kernel.Env, c store.Cohort) (time.Time, bool, error) {
	e, err := env.Store.GetEffect(ctx, kernel.CloseKey(c.ID))
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	var cl kernel.Closing
	if err := json.Unmarshal([]byte(e.Value), &cl); err != nil || cl.At.IsZero() {
		return time.Time{}, false, nil
	}
	if cal, err := cohort.NewCalendar(c.Spec); err == nil && cl.At.After(cal.Finish()) {
		return cal.Finish(), true, nil
	}
	return cl.At, true, nil
}

// finishedFollowUps marks the follow-ups of days posted or skipped.
func finishedFollowUps(ctx context.Context, s *store.Store, id int64, days []int) (map[int]bool, error) {
	out := map[int]bool{}
	for _, d := range days {
		f, err := s.FollowUp(ctx, id, d)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[d] = f.State == store.FollowUpPosted || f.State == store.FollowUpSkipped
	}
	return out, nil
}

// retention is one closed cohort's follow-up work at one instant.
type retention struct {
	env    *kernel.Env
	g      kernel.TickGitHub
	cfg    config.Repo
	c      store.Cohort
	closed time.Time
	now    time.Time
}

// followUp measures and posts the follow-up of day d, each step once:
// figures are kept as they are measured (a sweep the search limit stops
// resumes with the mentees left), the comment has its effect key.
func (r *retention) followUp(ctx context.Context, d int) error {
	f, err := r.env.Store.FollowUp(ctx, r.c.ID, d)
	if errors.Is(err, store.ErrNotFound) {
		f, err = store.FollowUp{CohortID: r.c.ID, Day: d, DueAt: r.closed.Add(time.Duration(d) * kernel.Day), State: store.FollowUpMeasuring}, nil
	}
	if err != nil || f.State == store.FollowUpPosted || f.State == store.FollowUpSkipped {
		return err
	}
	if ok, err := r.hubWritable(ctx, d); err != nil || !ok {
		if err == nil {
			f.State = store.FollowUpSkipped
			err = r.env.Store.PutFollowUp(ctx, f)
		}
		return err
	}
	if f.State == store.FollowUpMeasuring {
		if err := r.measure(ctx, &f); err != nil {
			return err
		}
	}
	if err := r.post(ctx, f); err != nil {
		return err
	}
	f.State = store.FollowUpPosted
	return r.env.Store.PutFollowUp(ctx, f)
}

// hubWritable reports whether the closed hub can take the follow-up: not
// deleted, not locked. A hub that cannot is skipped with a log line.
func (r *retention) hubWritable(ctx context.Context, d int) (bool, error) {
	is, err := r.g.GetIssue(ctx, r.c.Repo, r.c.HubNumber)
	why := ""
	switch {
	case gh.IsNotFound(err) || gh.IsGone(err):
		why = "the hub was deleted"
	case err != nil:
		return false, err
	case is.Locked:
		why = "the hub is locked"
	}
	if why != "" {
		zerolog.Ctx(ctx).Info().Int64("cohort", r.c.ID).Int("hub", r.c.HubNumber).Int("day", d).
			Msg("retention follow-up skipped: " + why)
		return false, nil
	}
	return true, nil
}

// measure fills f's figures, one mentee at a time, each kept at once.
func (r *retention) measure(ctx context.Context, f *store.FollowUp) error {
	var figs []templates.RetentionMentee
	if f.Figures != "" {
		if err := json.Unmarshal([]byte(f.Figures), &figs); err != nil {
			figs = nil // unreadable: measure again
		}
	}
	members, err := r.env.Store.Members(ctx, r.c.ID)
	if err != nil {
		return err
	}
	scope := retentionScope(r.cfg, r.c)
	for _, m := range members {
		if m.Role != store.RoleMentee || m.Status == store.StatusRemoved || slices.ContainsFunc(figs, func(x templates.RetentionMentee) bool {
			return strings.EqualFold(x.Handle, m.Handle)
		}) {
			continue
		}
		n, err := r.env.Measurer.ActiveSince(ctx, r.c.InstallationID, m.Handle, scope, r.closed)
		if err != nil {
			return fmt.Errorf("measure @%s for follow-up %d: %w", m.Handle, f.Day, err)
		}
		figs = append(figs, templates.RetentionMentee{Handle: m.Handle, Outcome: outcomeOf(m), PRs: n, Active: n > 0})
		b, _ := json.Marshal(figs)
		f.Figures = string(b)
		if err := r.env.Store.PutFollowUp(ctx, *f); err != nil {
			return err
		}
	}
	f.Mentees, f.Active, f.Graduated, f.GraduatedActive = retentionTotals(figs)
	f.State, f.MeasuredAt = store.FollowUpMeasured, r.now
	return r.env.Store.PutFollowUp(ctx, *f)
}

// post writes the follow-up's one comment on the hub, once.
func (r *retention) post(ctx context.Context, f store.FollowUp) error {
	body, err := renderFollowUp(r.c, f, r.closed, scopeTerms(retentionScope(r.cfg, r.c)))
	if err != nil {
		return err
	}
	marker := fmt.Sprintf("<!-- cohortbot:retention day=%d -->", f.Day)
	_, err = r.env.Store.Once(ctx, kernel.RetentionKey(r.c.ID, f.Day), func() (string, bool, error) {
		return kernel.FindComment(ctx, r.g, r.c.Repo, r.c.HubNumber, marker)
	}, func() (string, error) {
		id, err := r.g.CreateComment(ctx, r.c.Repo, r.c.HubNumber, body+"\n"+marker)
		return strconv.FormatInt(id, 10), err
	})
	return err
}

// renderFollowUp renders follow-up f of cohort c from its stored figures.
func renderFollowUp(c store.Cohort, f store.FollowUp, closed time.Time, scope string) (string, error) {
	var figs []templates.RetentionMentee
	if err := json.Unmarshal([]byte(f.Figures), &figs); err != nil && f.Figures != "" {
		return "", fmt.Errorf("read follow-up figures: %w", err)
	}
	d := templates.RetentionData{Day: f.Day, Name: c.Spec.Name, Closed: closed.Format("2006-01-02"),
		Measured: f.MeasuredAt.Format("2006-01-02"), Scope: scope, Mentees: figs}
	d.Total, d.Active, d.Graduated, d.GraduatedActive = retentionTotals(figs)
	return templates.RenderRetention(d)
}
