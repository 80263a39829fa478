package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// runCloseCohort closes the cohort now (organizers, on the hub).
func RunCloseCohort(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	if err := x.OK(ctx); err != nil || x.Cohort.State != store.StateActive {
		return err // completed: this command's close was finished by a tick
	}
	return closeCohort(ctx, x.Env, x.GH, x.Cfg, x.Cohort, kernel.Closing{
		Why: "was closed by @" + x.Event.Author + " with `/close-cohort`", At: x.Env.Now(), Comment: x.Event.CommentID,
	})
}

// closeCohort ends a cohort (SPEC §6) as of start.At: it first settles every
// week boundary that fell due since the last run (checkin/missed and
// mentee/at-risk, one label at a time), then posts exactly one final report
// on the hub (covering those weeks, naming who was missing, with a due
// midpoint folded in), shows every week's final state on the hub's board,
// closes each mentee issue with its outcome label, closes the hub, moves
// the labels from cohort/active to cohort/completed and releases open
// tasks. The close is recorded first (why and when), and every step has its
// own effect key, so a crash half-way finishes on the next tick, as of the
// same instant and without a duplicate comment; a closed cohort is never
// closed again.
func closeCohort(ctx context.Context, env *kernel.Env, g kernel.TickGitHub, cfg config.Repo, c store.Cohort, start kernel.Closing) error {
	cl, err := beginClose(ctx, env, c, start)
	if err != nil {
		return err
	}
	st, err := render.LoadState(ctx, env.Store, c)
	if err != nil {
		return err
	}
	var weeks []templates.WeekSummary
	settled := c.BoundaryDone
	if due := dueWeeks(st.Cal, c.BoundaryDone, cl.At); len(due) > 0 {
		settled = due[len(due)-1]
		weeks = summarize(st, due[0], settled)
		if err := settleLabels(ctx, env, g, st, weeks, settled); err != nil {
			return err
		}
	}
	released, err := releasedTasks(ctx, env, g, c)
	if err != nil {
		return err
	}
	if err := postFinalReport(ctx, env, g, cfg, st, cl.Why, weeks, settled, released); err != nil {
		return err
	}
	if settled > c.BoundaryDone {
		if err := env.Store.SetSchedule(ctx, c.ID, settled, cl.At); err != nil {
			return err
		}
	}
	// The board shows every settled week's final state now (a closing
	// cohort shows no "not yet" either, see state.cell), before the issues
	// close.
	if err := env.RequestRenders(ctx, c.ID, kernel.TargetHub); err != nil {
		return err
	}
	if err := finishIssues(ctx, env, g, c, st); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("cohort", c.Spec.Slug).Msg("cohort closed")
	return env.Store.SetState(ctx, c.ID, store.StateCompleted)
}

// beginClose records the close once and returns the first record. It also
// keeps the cohort due, so that a close interrupted before its end (a
// /close-cohort mid-cohort whose next scheduled work is days away) is
// finished by the next tick.
func beginClose(ctx context.Context, env *kernel.Env, c store.Cohort, start kernel.Closing) (kernel.Closing, error) {
	v, err := env.Store.Once(ctx, kernel.CloseKey(c.ID), nil, func() (string, error) {
		if err := env.Store.SetSchedule(ctx, c.ID, c.BoundaryDone, start.At); err != nil {
			return "", err
		}
		b, err := json.Marshal(start)
		return string(b), err
	})
	if err != nil {
		return kernel.Closing{}, err
	}
	var cl kernel.Closing
	return cl, json.Unmarshal([]byte(v), &cl)
}

// finishIssues closes each mentee issue with its outcome label, then the
// hub.
func finishIssues(ctx context.Context, env *kernel.Env, g kernel.TickGitHub, c store.Cohort, st *render.State) error {
	if err := g.EnsureLabels(ctx, c.Repo, kernel.LabelSpecs(kernel.LabelCompleted, kernel.LabelGraduated, kernel.LabelWithdrawn, kernel.LabelNotGraduated)...); err != nil {
		return err
	}
	for _, m := range st.Members {
		if m.Role != store.RoleMentee || m.Status == store.StatusRemoved || m.Issue == 0 {
			continue
		}
		outcome := "outcome/" + outcomeOf(m)
		reason := "completed"
		if m.Status == store.StatusWithdrawn {
			reason = "not_planned"
		}
		if err := finishIssue(ctx, env, g, c, m.Issue, reason, outcome); err != nil {
			return err
		}
	}
	return finishIssue(ctx, env, g, c, c.HubNumber, "completed")
}

// finishIssue labels an issue completed (plus extra labels) and closes it,
// each once.
func finishIssue(ctx context.Context, env *kernel.Env, g kernel.TickGitHub, c store.Cohort, number int, reason string, extra ...string) error {
	_, err := env.Store.Once(ctx, kernel.FinishKey(c.ID, number), nil, func() (string, error) {
		if err := g.AddLabels(ctx, c.Repo, number, append([]string{kernel.LabelCompleted}, extra...)...); err != nil {
			return "", err
		}
		if err := g.RemoveLabel(ctx, c.Repo, number, kernel.LabelActive); err != nil {
			return "", err
		}
		return "done", g.CloseIssue(ctx, c.Repo, number, reason)
	})
	return err
}

// outcomeOf is a mentee's outcome: graduated, withdrawn or not-graduated.
func outcomeOf(m store.Member) string {
	switch {
	case m.Status == store.StatusWithdrawn:
		return "withdrawn"
	case strings.HasPrefix(m.Outcome, "graduated"):
		return "graduated"
	}
	return "not-graduated"
}

// releasedTasks releases the cohort's open tasks once and remembers which,
// so a resumed close reports the same list.
func releasedTasks(ctx context.Context, env *kernel.Env, g kernel.TickGitHub, c store.Cohort) ([]string, error) {
	v, err := env.Store.Once(ctx, kernel.ReleaseTasksKey(c.ID), nil, func() (string, error) {
		list, err := tasks.ReleaseCohortTasks(ctx, env, g, c)
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(list)
		return string(b), err
	})
	if err != nil {
		return nil, err
	}
	var list []string
	err = json.Unmarshal([]byte(v), &list)
	return list, err
}

// postFinalReport posts the final report once: weeks are the boundaries
// the close settled (their table names who was missing), settled the weeks
// counted in each mentee's record. A midpoint comment that came due and was
// never posted is folded into the report and recorded as done.
func postFinalReport(ctx context.Context, env *kernel.Env, g kernel.TickGitHub, cfg config.Repo, st *render.State, why string,
	weeks []templates.WeekSummary, settled int, released []string) error {
	c := st.Cohort
	key := kernel.FinalReportKey(c.ID)
	if e, err := env.Store.GetEffect(ctx, key); err == nil && e.State == store.EffectDone {
		return nil
	}
	stats, err := menteeStats(ctx, env.Store, st, settled)
	if err != nil {
		return err
	}
	hub, err := g.GetIssue(ctx, c.Repo, c.HubNumber)
	if err != nil {
		return err
	}
	ticked, topics := countTopics(hub.Body)
	d := templates.FinalData{Name: c.Spec.Name, Step: c.Spec.Step, Why: why, Mentees: stats,
		TopicsTicked: ticked, Topics: topics, Released: released, Weeks: weeks}
	if d.Midpoint, err = foldedMidpoint(ctx, env, g, cfg, st, settled); err != nil {
		return err
	}
	for _, s := range stats {
		d.Total++
		d.CheckedIn += s.CheckedIn
		d.Expected += s.Expected
		if s.Outcome == "graduated" {
			d.Graduated++
		}
	}
	body, err := templates.RenderFinal(d)
	if err != nil {
		return err
	}
	marker := "<!-- cohortbot:final-report -->"
	if _, err = env.Store.Once(ctx, key, func() (string, bool, error) {
		return kernel.FindComment(ctx, g, c.Repo, c.HubNumber, marker)
	}, func() (string, error) {
		id, err := g.CreateComment(ctx, c.Repo, c.HubNumber, body+"\n"+marker)
		return fmt.Sprint(id), err
	}); err != nil || d.Midpoint == nil {
		return err
	}
	return env.Store.PutEffect(ctx, kernel.MidpointKey(c.ID), store.EffectDone, "folded into the final report")
}

// foldedMidpoint is the midpoint to fold into the final report: nil unless
// half the weeks are settled and the midpoint comment was never posted (an
// attempt that may have posted it is looked for on the hub first).
func foldedMidpoint(ctx context.Context, env *kernel.Env, g kernel.TickGitHub, cfg config.Repo, st *render.State, settled int) (*templates.MidpointData, error) {
	half := st.Cal.Weeks() / 2
	if half < 1 || settled < half {
		return nil, nil
	}
	e, err := env.Store.GetEffect(ctx, kernel.MidpointKey(st.Cohort.ID))
	switch {
	case err == nil && e.State == store.EffectDone:
		return nil, nil
	case err == nil:
		v, found, err := kernel.FindComment(ctx, g, st.Cohort.Repo, st.Cohort.HubNumber, midpointMarker)
		if err != nil || found {
			if found {
				err = env.Store.PutEffect(ctx, kernel.MidpointKey(st.Cohort.ID), store.EffectDone, v)
			}
			return nil, err
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	d, err := midpointData(ctx, env, cfg, st, half)
	return &d, err
}

// countTopics counts the ticked and all checkboxes of the hub's topic
// checklist (only that section: Notes may hold checkboxes too).
func countTopics(body string) (ticked, total int) {
	in := false
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "## ") {
			in = strings.HasPrefix(t, "## Topics")
			continue
		}
		if !in {
			continue
		}
		switch {
		case strings.HasPrefix(t, "- [x]"), strings.HasPrefix(t, "- [X]"):
			ticked++
			total++
		case strings.HasPrefix(t, "- [ ]"):
			total++
		}
	}
	return ticked, total
}
