package request

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/waitlist"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// waitlistSection renders the "From the waitlist" section of a request's
// validation comment (SPEC §11): entries for the request's ladder step
// sharing one of its SIGs or areas, not on its roster. A request whose step
// or areas do not parse yet has no section.
func waitlistSection(ctx context.Context, env *kernel.Env, repo string, spec cohort.Spec) (string, error) {
	if spec.Step == "" || len(spec.Areas) == 0 {
		return "", nil
	}
	all, err := env.Store.Waitlist(ctx, repo)
	if err != nil {
		return "", err
	}
	return waitlist.Section(waitlist.Match(all, spec.Step, spec.Areas, rosterSet(spec)), spec.Step), nil
}

func rosterSet(spec cohort.Spec) map[string]bool {
	out := map[string]bool{}
	for _, m := range spec.Mentors {
		out[strings.ToLower(m)] = true
	}
	for _, m := range spec.Mentees {
		out[strings.ToLower(m.Handle)] = true
	}
	return out
}

// waitlistJoined answers every roster member's open interest (a mentee) or
// offer (a mentor) with a link to their tracking issue or the hub and
// closes it as completed (SPEC §11). Each comment and close is an effect of
// its own, so a redelivery or a retry after a crash does neither twice; an
// issue GitHub says is gone simply leaves the waitlist.
func waitlistJoined(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, c store.Cohort) error {
	for _, m := range c.Spec.Mentees {
		if err := joinOne(ctx, env, g, c, waitlist.KindMentee, m.Handle, m.Issue); err != nil {
			return err
		}
	}
	for _, h := range c.Spec.Mentors {
		if err := joinOne(ctx, env, g, c, waitlist.KindMentor, h, c.HubNumber); err != nil {
			return err
		}
	}
	return nil
}

func joinOne(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, c store.Cohort, kind, handle string, link int) error {
	w, err := env.Store.WaitingPerson(ctx, c.Repo, kind, handle)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = env.Store.Once(ctx, kernel.WaitlistJoinedKey(c.ID, w.IssueID), nil, func() (string, error) {
		id, err := g.CreateComment(ctx, c.Repo, w.Number, waitlist.Joined(w, templates.Cell(c.Spec.Name), link))
		if kernel.IssueGone(err) {
			return "gone", nil
		}
		return fmt.Sprint(id), err
	})
	if err != nil {
		return err
	}
	_, err = env.Store.Once(ctx, kernel.WaitlistJoinedClosedKey(c.ID, w.IssueID), nil, func() (string, error) {
		err := g.CloseIssue(ctx, c.Repo, w.Number, "completed")
		if kernel.IssueGone(err) {
			return "gone", nil
		}
		return "closed", err
	})
	if err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("handle", handle).Int("issue", w.Number).Msg("waitlisted person joined the cohort; issue closed")
	_, err = env.Store.RemoveWaiting(ctx, w.IssueID)
	return err
}
