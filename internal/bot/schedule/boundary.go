package schedule

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/checkin"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/progress"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// summarize counts weeks from..to (the read model's summaries, with the
// mentor to mention for each mentee at risk).
func summarize(st *render.State, from, to int) []templates.WeekSummary {
	var out []templates.WeekSummary
	for _, ws := range st.Att.Summaries(from, to) {
		t := templates.WeekSummary{Week: ws.Week, Skipped: ws.Skipped, Expected: ws.Expected, CheckedIn: ws.CheckedIn, Missing: ws.Missing}
		for _, m := range ws.AtRisk {
			t.AtRisk = append(t.AtRisk, templates.AtRisk{Mentee: m.Handle, Mentor: st.MentorFor(m.Mentor)})
		}
		out = append(out, t)
	}
	return out
}

// dueWeeks lists the weeks whose boundary fell due by now and is not yet
// settled (the first `settled` weeks are): Calendar.Boundaries from the end
// of the last settled week, the one week loop the scheduler and the close
// share.
func dueWeeks(cal cohort.Calendar, settled int, now time.Time) []int {
	if settled >= cal.Weeks() {
		return nil
	}
	since := cal.Begin()
	if settled >= 1 {
		since = cal.WeekEnd(settled)
	}
	return cal.Boundaries(since, now)
}

// settleLabels applies the labels of the boundaries of weeks (ending with
// week to): checkin/missed on each active mentee who missed week to (off
// for one who did not), mentee/at-risk on who missed two in a row. One label
// added or removed at a time, each once, never the issue's whole label set
// (SPEC §3 "Never overwrite people").
func settleLabels(ctx context.Context, env *kernel.Env, g kernel.Labeler, st *render.State, weeks []templates.WeekSummary, to int) error {
	for _, m := range st.Members {
		if m.Role != store.RoleMentee || m.Status != store.StatusActive {
			continue
		}
		if err := checkin.SetMissedLabel(ctx, env, g, st.Cohort, m, st.Missed(m, to)); err != nil {
			return err
		}
	}
	for _, w := range weeks {
		for _, r := range w.AtRisk {
			m, _ := st.Mentee(r.Mentee)
			if err := markAtRisk(ctx, env, g, st.Cohort, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// boundaries does the week-boundary work for weeks from..to (several after
// downtime): checkin/missed on who missed, mentee/at-risk after two in a
// row, and ONE hub comment for them all naming the new week's facilitator.
func (s *sched) boundaries(ctx context.Context, from, to int) error {
	st, err := render.LoadState(ctx, s.env.Store, s.c)
	if err != nil {
		return err
	}
	weeks := summarize(st, from, to)
	if err := settleLabels(ctx, s.env, s.g, st, weeks, to); err != nil {
		return err
	}
	// Ladder progress is measured at every boundary (SPEC §10) by the
	// ladder job, paced apart from this work; queued before the hub
	// comment, so that a run that dies after posting it has queued it too
	// (queuing again on the next run changes nothing).
	if _, err := progress.QueueLadder(ctx, s.env, s.cfg, s.c); err != nil {
		return err
	}
	next := to + 1
	d := templates.BoundaryData{Weeks: weeks, NextWeek: next, Facilitator: render.Facilitator(s.c.Spec.Mentors, next),
		NextFrom: cohort.DateOf(s.cal.WeekStart(next)).String(), NextTo: cohort.DateOf(s.cal.WeekEnd(next).AddDate(0, 0, -1)).String()}
	body, err := templates.RenderBoundary(d)
	if err != nil {
		return err
	}
	key := kernel.BoundaryKey(s.c.ID, from)
	marker := fmt.Sprintf("<!-- cohortbot:boundary from=%d -->", from)
	if _, err := s.env.Store.Once(ctx, key, func() (string, bool, error) {
		return kernel.FindComment(ctx, s.g, s.c.Repo, s.c.HubNumber, marker)
	}, func() (string, error) {
		id, err := s.g.CreateComment(ctx, s.c.Repo, s.c.HubNumber, body+"\n"+marker)
		return fmt.Sprint(id), err
	}); err != nil {
		return err
	}
	if err := s.env.Store.SetSchedule(ctx, s.c.ID, to, s.now); err != nil {
		return err
	}
	return s.env.RequestRenders(ctx, s.c.ID, kernel.TargetHub)
}

// markAtRisk labels a mentee's issue mentee/at-risk once.
func markAtRisk(ctx context.Context, env *kernel.Env, g kernel.Labeler, c store.Cohort, m store.Member) error {
	if m.Issue == 0 {
		return nil
	}
	_, err := env.Store.Once(ctx, kernel.AtRiskKey(c.ID, m.Handle), nil, func() (string, error) {
		if err := g.EnsureLabels(ctx, c.Repo, kernel.LabelSpecs(kernel.LabelAtRisk)...); err != nil {
			return "", err
		}
		return "on", g.AddLabels(ctx, c.Repo, m.Issue, kernel.LabelAtRisk)
	})
	return err
}

// midpoint posts the mid-program comment once, when half the weeks have
// ended (late, after downtime, but never twice).
func (s *sched) midpoint(ctx context.Context) error {
	half := s.cal.Weeks() / 2
	if half < 1 || s.c.BoundaryDone < half {
		return nil
	}
	st, err := render.LoadState(ctx, s.env.Store, s.c)
	if err != nil {
		return err
	}
	d, err := midpointData(ctx, s.env, s.cfg, st, s.c.BoundaryDone)
	if err != nil {
		return err
	}
	body, err := templates.RenderMidpoint(d)
	if err != nil {
		return err
	}
	_, err = s.env.Store.Once(ctx, kernel.MidpointKey(s.c.ID), func() (string, bool, error) {
		return kernel.FindComment(ctx, s.g, s.c.Repo, s.c.HubNumber, midpointMarker)
	}, func() (string, error) {
		id, err := s.g.CreateComment(ctx, s.c.Repo, s.c.HubNumber, body+"\n"+midpointMarker)
		return fmt.Sprint(id), err
	})
	return err
}

// midpointData is the mid-program figures after weeksDone weeks: each
// mentee's check-ins and tasks, and the ladder step's graduation hint.
func midpointData(ctx context.Context, env *kernel.Env, cfg config.Repo, st *render.State, weeksDone int) (templates.MidpointData, error) {
	stats, err := menteeStats(ctx, env.Store, st, weeksDone)
	return templates.MidpointData{
		WeeksDone: weeksDone, Weeks: st.Cal.Weeks(), Mentees: stats,
		Step: st.Cohort.Spec.Step, Hint: cfg.Track(st.Cohort.Spec.Step).GraduationHint,
	}, err
}

// midpointMarker ends the mid-program comment, so a resumed run finds it.
const midpointMarker = "<!-- cohortbot:midpoint -->"

// menteeStats is each mentee's record over weeks 1..upTo.
func menteeStats(ctx context.Context, s *store.Store, st *render.State, upTo int) ([]templates.MenteeStat, error) {
	tasks, err := tasks.TaskCounts(ctx, s, st.Cohort)
	if err != nil {
		return nil, err
	}
	var out []templates.MenteeStat
	for _, m := range st.Members {
		if m.Role != store.RoleMentee || m.Status == store.StatusRemoved {
			continue
		}
		ms := templates.MenteeStat{Handle: m.Handle, Outcome: outcomeOf(m), Link: m.OutcomeLink}
		for w := 1; w <= upTo; w++ {
			if st.Checkins[strings.ToLower(m.Handle)][w].Week == w {
				ms.CheckedIn++
				ms.Expected++
			} else if st.Expected(m, w) {
				ms.Expected++
			}
		}
		t := tasks[strings.ToLower(m.Handle)]
		ms.TasksDone, ms.TasksOpen = t.Done, t.Open
		out = append(out, ms)
	}
	return render.WithProgress(ctx, s, st.Cohort, out)
}
