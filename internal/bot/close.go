package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// runCloseCohort closes the cohort now (organizers, on the hub).
func runCloseCohort(ctx context.Context, x *call) error {
	ok, err := x.isOrganizer(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return x.refuse(ctx, organizerRule(x.cfg)+" close a cohort.")
	}
	if err := x.ok(ctx); err != nil {
		return err
	}
	return closeCohort(ctx, x.env, x.g, x.cfg, x.c, "was closed by @"+x.ev.Author+" with `/close-cohort`")
}

// closeCohort ends a cohort (SPEC §6): exactly one final report on the hub,
// each mentee issue closed with its outcome label, the hub closed, labels
// moved from cohort/active to cohort/completed, open tasks released. Every
// step has its own effect key, so a crash half-way finishes on the next run
// without a duplicate comment; a closed cohort is never closed again.
func closeCohort(ctx context.Context, env *Env, g TickGitHub, cfg config.Repo, c store.Cohort, why string) error {
	st, err := loadState(ctx, env.Store, c)
	if err != nil {
		return err
	}
	released, err := releasedTasks(ctx, env, g, c)
	if err != nil {
		return err
	}
	if err := postFinalReport(ctx, env, g, cfg, st, why, released); err != nil {
		return err
	}
	if err := g.EnsureLabels(ctx, c.Repo, labelSpecs(LabelCompleted, LabelGraduated, LabelWithdrawn, LabelNotGraduated)...); err != nil {
		return err
	}
	for _, m := range st.members {
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
	if err := finishIssue(ctx, env, g, c, c.HubNumber, "completed"); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("cohort", c.Spec.Slug).Msg("cohort closed")
	return env.Store.SetState(ctx, c.ID, store.StateCompleted)
}

// finishIssue labels an issue completed (plus extra labels) and closes it,
// each once.
func finishIssue(ctx context.Context, env *Env, g TickGitHub, c store.Cohort, number int, reason string, extra ...string) error {
	_, err := env.Store.Once(ctx, fmt.Sprintf("finish:%d:%d", c.ID, number), nil, func() (string, error) {
		if err := g.AddLabels(ctx, c.Repo, number, append([]string{LabelCompleted}, extra...)...); err != nil {
			return "", err
		}
		if err := g.RemoveLabel(ctx, c.Repo, number, LabelActive); err != nil {
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
func releasedTasks(ctx context.Context, env *Env, g TickGitHub, c store.Cohort) ([]string, error) {
	v, err := env.Store.Once(ctx, fmt.Sprintf("release-tasks:%d", c.ID), nil, func() (string, error) {
		list, err := releaseCohortTasks(ctx, env, g, c)
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

func postFinalReport(ctx context.Context, env *Env, g TickGitHub, cfg config.Repo, st *state, why string, released []string) error {
	c := st.c
	key := fmt.Sprintf("final-report:%d", c.ID)
	if e, err := env.Store.GetEffect(ctx, key); err == nil && e.State == store.EffectDone {
		return nil
	}
	cal := st.cal
	upTo := 0
	for w := 1; w <= cal.Weeks() && !cal.WeekEnd(w).After(env.Now()); w++ {
		upTo = w
	}
	stats, err := menteeStats(ctx, env.Store, st, upTo)
	if err != nil {
		return err
	}
	hub, err := g.GetIssue(ctx, c.Repo, c.HubNumber)
	if err != nil {
		return err
	}
	ticked, topics := countTopics(hub.Body)
	d := templates.FinalData{Name: c.Spec.Name, Step: c.Spec.Step, Why: why, Mentees: stats,
		TopicsTicked: ticked, Topics: topics, Released: released}
	if upTo > c.BoundaryDone {
		d.Weeks = summarize(st, c.BoundaryDone+1, upTo)
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
	_, err = env.Store.Once(ctx, key, func() (string, bool, error) {
		return findComment(ctx, g, c.Repo, c.HubNumber, marker)
	}, func() (string, error) {
		id, err := g.CreateComment(ctx, c.Repo, c.HubNumber, body+"\n"+marker)
		return fmt.Sprint(id), err
	})
	return err
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
