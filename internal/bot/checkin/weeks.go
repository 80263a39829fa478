package checkin

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/store"
)

// maxAway is how many weeks in a row a mentee may be away.
const maxAway = 2

// runAway excuses the author from the current week, or the next N weeks
// counting the current one (SPEC §5: at most 2 in a row).
func RunAway(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	n := 1
	if len(x.Cmd.Args) > 0 {
		v, err := strconv.Atoi(x.Cmd.Args[0])
		if err != nil || v < 1 || v > maxAway {
			return x.Refuse(ctx, fmt.Sprintf("`/away N` takes N from 1 to %d (weeks, counting this one).", maxAway))
		}
		n = v
	}
	week, ok := x.Cal.WeekOf(x.Event.CreatedAt)
	if !ok {
		return x.Refuse(ctx, "the cohort is not running this week, so there is nothing to be away from.")
	}
	st, err := render.LoadState(ctx, x.Env.Store, x.Cohort)
	if err != nil {
		return err
	}
	lower := strings.ToLower(x.Event.Author)
	var weeks []int
	for w := week; w < week+n && w <= x.Cal.Weeks(); w++ {
		weeks = append(weeks, w)
	}
	run := len(weeks)
	for w := week - 1; w >= 1 && st.Aways[lower][w]; w-- {
		run++
	}
	for w := week + n; st.Aways[lower][w]; w++ {
		run++
	}
	if run > maxAway {
		return x.Refuse(ctx, fmt.Sprintf("that would make %d weeks away in a row; at most %d are allowed. Talk to your mentor if you need a longer break.", run, maxAway))
	}
	if err := x.Env.Store.AddAway(ctx, x.Cohort.ID, x.Event.Author, weeks...); err != nil {
		return err
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	return x.Env.RequestRenders(ctx, x.Cohort.ID, kernel.TargetHub)
}

// runSkipWeek marks a week that needs no check-ins (organizers, on the hub).
func RunSkipWeek(ctx context.Context, cc *command.Call) error {
	x := &call{cc}
	if len(x.Cmd.Args) != 1 {
		return x.Refuse(ctx, "usage: `/skip-week N`, with N the week number.")
	}
	w, err := strconv.Atoi(x.Cmd.Args[0])
	if err != nil || w < 1 || w > x.Cal.Weeks() {
		return x.Refuse(ctx, fmt.Sprintf("week must be a number from 1 to %d.", x.Cal.Weeks()))
	}
	if w <= x.Cohort.BoundaryDone {
		return x.Refuse(ctx, fmt.Sprintf("week %d has already ended and been counted.", w))
	}
	if err := x.Env.Store.SkipWeek(ctx, x.Cohort.ID, w); err != nil {
		return err
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	return x.Env.RequestRenders(ctx, x.Cohort.ID, kernel.TargetHub)
}

// setMissedLabel puts checkin/missed on (or off) a mentee's issue, calling
// GitHub only when the label's known state changes.
func SetMissedLabel(ctx context.Context, e *kernel.Env, g kernel.Labeler, c store.Cohort, m store.Member, on bool) error {
	if m.Issue == 0 {
		return nil
	}
	key := kernel.MissedLabelKey(c.ID, m.Handle)
	cur, err := e.Store.GetEffect(ctx, key)
	if err == nil && (cur.Value == "on") == on {
		return nil
	}
	if !on && err != nil {
		return nil // never set
	}
	if on {
		if err := g.EnsureLabels(ctx, c.Repo, kernel.LabelSpecs(kernel.LabelMissed)...); err != nil {
			return err
		}
		err = g.AddLabels(ctx, c.Repo, m.Issue, kernel.LabelMissed)
	} else {
		err = g.RemoveLabel(ctx, c.Repo, m.Issue, kernel.LabelMissed)
	}
	if err != nil {
		return err
	}
	return e.Store.PutEffect(ctx, key, store.EffectDone, map[bool]string{true: "on", false: "off"}[on])
}
