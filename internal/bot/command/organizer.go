package command

import (
	"context"
	"errors"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
)

// isOrganizer is IsOrganizer for the command's author, through the cache.
// A team the App cannot see is not an answer: the refusal then says which
// permission is missing (orgProblem) instead of "only organizers may".
func (x *Call) isOrganizer(ctx context.Context) (bool, error) {
	key := kernel.OrganizerKey(x.Event.Installation, x.Cohort.Repo, x.Event.Author, x.Cfg)
	if ok, found := x.Env.Organizers.Get(key, x.Env.Now()); found {
		return ok, nil
	}
	ok, err := kernel.IsOrganizer(ctx, x.GH, x.Cfg, x.Cohort.Repo, x.Event.Author)
	var inv *kernel.TeamInvisibleError
	if !ok && errors.As(err, &inv) && kernel.OnlyInvisible(err) {
		x.orgProblem = kernel.InvisibleTeamText(inv) + " Nothing was done; post the command again once that is fixed."
		return false, nil
	}
	if err != nil {
		return false, err
	}
	x.Env.Organizers.Put(key, ok, x.Env.Now())
	return ok, nil
}
