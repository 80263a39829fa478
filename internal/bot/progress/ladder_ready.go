package progress

import (
	"context"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
)

// settleIfMeasured shows a mentee's progress once none of their
// measurements is pending: the mentee issue's region and the hub's roster
// re-rendered, and ladder/ready set or cleared.
func settleIfMeasured(ctx context.Context, env *kernel.Env, g LadderGitHub, cohortID int64, handle string) error {
	ms, err := env.Store.Measurements(ctx, cohortID)
	if err != nil {
		return err
	}
	rows, pending := render.RowsOf(ms, handle)
	if pending {
		return nil
	}
	c, err := env.Store.Cohort(ctx, cohortID)
	if err != nil {
		return err
	}
	if c.State != store.StateActive {
		return nil
	}
	if err := markReady(ctx, env, g, c, handle, ladder.AllMet(rows)); err != nil {
		return err
	}
	return env.RequestRenders(ctx, c.ID, kernel.TargetMentee(handle), kernel.TargetHub)
}

func readyLabelKey(c store.Cohort, handle string) string {
	return kernel.ReadyLabelKeyOf(c.ID, handle)
}

// markReady puts ladder/ready on an active mentee's issue the first time
// every measured requirement is met, with one comment to the paired mentor
// (all mentors when unpaired) naming the next step; a later drop below
// removes the label, silently. The label's state is an effect (added or
// removed once per change); the comment is once ever, found again by its
// marker after a crash, so a redelivery, a retry or a later sweep never
// repeats it.
func markReady(ctx context.Context, env *kernel.Env, g LadderGitHub, c store.Cohort, handle string, ready bool) error {
	members, err := env.Store.Members(ctx, c.ID)
	if err != nil {
		return err
	}
	var m store.Member
	for _, x := range members {
		if x.Role == store.RoleMentee && strings.EqualFold(x.Handle, handle) {
			m = x
		}
	}
	if m.Issue == 0 || m.Status != store.StatusActive {
		return nil
	}
	key := readyLabelKey(c, handle)
	prev, _ := env.Store.GetEffect(ctx, key)
	switch {
	case ready && prev.Value != "on":
		if err := g.EnsureLabels(ctx, c.Repo, kernel.LabelSpecs(kernel.LabelLadderReady)...); err != nil {
			return err
		}
		if err := g.AddLabels(ctx, c.Repo, m.Issue, kernel.LabelLadderReady); err != nil {
			return err
		}
		if err := env.Store.PutEffect(ctx, key, store.EffectDone, "on"); err != nil {
			return err
		}
	case !ready && prev.Value == "on":
		if err := g.RemoveLabel(ctx, c.Repo, m.Issue, kernel.LabelLadderReady); err != nil && !gh.IsNotFound(err) {
			return err
		}
		return env.Store.PutEffect(ctx, key, store.EffectDone, "off")
	}
	if !ready {
		return nil
	}
	return readyComment(ctx, env, g, c, m)
}

// readyMarker ends the ready-to-nominate comment.
const readyMarker = "<!-- cohortbot:ladder-ready -->"

func readyComment(ctx context.Context, env *kernel.Env, g LadderGitHub, c store.Cohort, m store.Member) error {
	mentors := c.Spec.Mentors
	if m.Mentor != "" {
		mentors = []string{m.Mentor}
	}
	at := make([]string, len(mentors))
	for i, h := range mentors {
		at[i] = "@" + h
	}
	body := fmt.Sprintf("🎉 %s: @%s now meets every requirement measured for **%s** (see *Ladder progress* above), "+
		"so they are ready to nominate. Suggested next step: %s.\n\n`/graduate @%s <link>` records the outcome once it is done.\n%s",
		strings.Join(at, ", "), m.Handle, c.Spec.Step, ladder.NextStep(c.Spec.Step), m.Handle, readyMarker)
	_, err := env.Store.Once(ctx, kernel.ReadyCommentKey(c.ID, m.Handle), func() (string, bool, error) {
		return kernel.FindComment(ctx, g, c.Repo, m.Issue, readyMarker)
	}, func() (string, error) {
		id, err := g.CreateComment(ctx, c.Repo, m.Issue, body)
		return fmt.Sprint(id), err
	})
	return err
}
