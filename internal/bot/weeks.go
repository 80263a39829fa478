package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/store"
)

// maxAway is how many weeks in a row a mentee may be away.
const maxAway = 2

// runAway excuses the author from the current week, or the next N weeks
// counting the current one (SPEC §5: at most 2 in a row).
func runAway(ctx context.Context, x *call) error {
	n := 1
	if len(x.cmd.Args) > 0 {
		v, err := strconv.Atoi(x.cmd.Args[0])
		if err != nil || v < 1 || v > maxAway {
			return x.refuse(ctx, fmt.Sprintf("`/away N` takes N from 1 to %d (weeks, counting this one).", maxAway))
		}
		n = v
	}
	week, ok := x.cal.WeekOf(x.ev.CreatedAt)
	if !ok {
		return x.refuse(ctx, "the cohort is not running this week, so there is nothing to be away from.")
	}
	st, err := loadState(ctx, x.env.Store, x.c)
	if err != nil {
		return err
	}
	lower := strings.ToLower(x.ev.Author)
	var weeks []int
	for w := week; w < week+n && w <= x.cal.Weeks(); w++ {
		weeks = append(weeks, w)
	}
	run := len(weeks)
	for w := week - 1; w >= 1 && st.aways[lower][w]; w-- {
		run++
	}
	for w := week + n; st.aways[lower][w]; w++ {
		run++
	}
	if run > maxAway {
		return x.refuse(ctx, fmt.Sprintf("that would make %d weeks away in a row; at most %d are allowed. Talk to your mentor if you need a longer break.", run, maxAway))
	}
	if err := x.env.Store.AddAway(ctx, x.c.ID, x.ev.Author, weeks...); err != nil {
		return err
	}
	if err := x.ok(ctx); err != nil {
		return err
	}
	return x.env.RequestRenders(ctx, x.c.ID, TargetHub)
}

// runSkipWeek marks a week that needs no check-ins (organizers, on the hub).
func runSkipWeek(ctx context.Context, x *call) error {
	if len(x.cmd.Args) != 1 {
		return x.refuse(ctx, "usage: `/skip-week N`, with N the week number.")
	}
	w, err := strconv.Atoi(x.cmd.Args[0])
	if err != nil || w < 1 || w > x.cal.Weeks() {
		return x.refuse(ctx, fmt.Sprintf("week must be a number from 1 to %d.", x.cal.Weeks()))
	}
	if w <= x.c.BoundaryDone {
		return x.refuse(ctx, fmt.Sprintf("week %d has already ended and been counted.", w))
	}
	if err := x.env.Store.SkipWeek(ctx, x.c.ID, w); err != nil {
		return err
	}
	if err := x.ok(ctx); err != nil {
		return err
	}
	return x.env.RequestRenders(ctx, x.c.ID, TargetHub)
}

// runHelp lists the commands this user may use here.
func runHelp(ctx context.Context, x *call) error {
	var b strings.Builder
	b.WriteString("here are the cohortbot commands you may use on this issue:\n\n| Command | What it does | Example |\n|---|---|---|\n")
	n := 0
	for _, c := range registry {
		if !c.on(x.role) {
			continue
		}
		if ok, err := x.allowed(ctx, c); err != nil {
			return err
		} else if !ok {
			continue
		}
		n++
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", c.Usage, c.Summary, firstLine(c.Example))
	}
	if n == 0 {
		b.Reset()
		b.WriteString("none of cohortbot's commands are open to you on this issue; they are for the cohort's mentees, mentors and organizers.")
	}
	if err := x.ok(ctx); err != nil {
		return err
	}
	return x.reply(ctx, strings.TrimSpace(b.String()))
}

// setMissedLabel puts checkin/missed on (or off) a mentee's issue, calling
// GitHub only when the label's known state changes.
func setMissedLabel(ctx context.Context, e *Env, g Labeler, c store.Cohort, m store.Member, on bool) error {
	if m.Issue == 0 {
		return nil
	}
	key := missedLabelKey(c.ID, m.Handle)
	cur, err := e.Store.GetEffect(ctx, key)
	if err == nil && (cur.Value == "on") == on {
		return nil
	}
	if !on && err != nil {
		return nil // never set
	}
	if on {
		if err := g.EnsureLabels(ctx, c.Repo, labelSpecs(LabelMissed)...); err != nil {
			return err
		}
		err = g.AddLabels(ctx, c.Repo, m.Issue, LabelMissed)
	} else {
		err = g.RemoveLabel(ctx, c.Repo, m.Issue, LabelMissed)
	}
	if err != nil {
		return err
	}
	return e.Store.PutEffect(ctx, key, store.EffectDone, map[bool]string{true: "on", false: "off"}[on])
}
