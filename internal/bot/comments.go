package bot

import (
	"context"
	"errors"

	"github.com/cohortbot/cohortbot/internal/bot/checkin"
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/bot/waitlists"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// HandleComment runs the commands of a comment on a cohort's hub or mentee
// issue (SPEC §5). Commands act when the comment is created; an edit or a
// deletion re-reads only a /checkin.
func HandleComment(ctx context.Context, env *kernel.Env, g command.CommentGitHub, cs kernel.ConfigSource, ev command.CommentEvent) error {
	log := zerolog.Ctx(ctx)
	c, role, owner, err := env.Store.CohortByIssue(ctx, ev.Repo, ev.Number)
	if errors.Is(err, store.ErrNotFound) {
		// Tasks live in any repository: found from the bot's own records.
		c, err = kernel.TaskCohort(ctx, env.Store, ev.Repo, ev.Number)
		role = tasks.RoleTask
	}
	if errors.Is(err, store.ErrNotFound) {
		return waitlists.HandleAnyIssue(ctx, env, g, cs, ev)
	}
	if err != nil {
		return err
	}
	slots, ignored := command.SelectCommands(cohort.ParseCommandsLimit(ev.Body, cohort.MaxCommandLines))
	run := slots
	if ev.Action == "edited" {
		run = command.OnlyCheckins(slots)
	}
	if len(run) == 0 && ev.Action != "deleted" {
		return nil
	}
	unlock, err := env.LockKey(ctx, kernel.CohortLock(c.ID))
	if err != nil {
		return err
	}
	defer unlock()
	stale, err := command.StaleComment(ctx, env, ev)
	switch {
	case err != nil:
		return err
	case stale && ev.Action != "created":
		log.Info().Str("action", ev.Action).Msg("skip: a newer event of this comment was handled already")
		return nil
	case stale:
		run = command.WithoutCheckins(run)
	case ev.Action == "deleted":
		return checkin.WithdrawCheckin(ctx, env, g, c, ev)
	}
	if len(run) == 0 {
		return nil
	}
	return command.Act(ctx, env, g, cs, ev, command.CommentWork{CohortID: c.ID, Role: role, Owner: owner, Slots: slots, Run: run, Ignored: ignored})
}
