package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
)

// CommentGitHub is every GitHub operation the command flows use.
type CommentGitHub interface {
	Commenter
	Labeler
	Permissions
	TaskWriter
	Creator
	RosterEditor
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
	React(ctx context.Context, repo string, commentID int64, content string) (int64, error)
	Unreact(ctx context.Context, repo string, commentID, reactionID int64) error
}

// CommentEvent is what the command flows need from an issue_comment event.
type CommentEvent struct {
	Installation int64
	Repo         string
	Number       int
	Action       string // created, edited or deleted
	CommentID    int64
	URL          string
	Body         string
	Author       string
	CreatedAt    time.Time
	// UpdatedAt orders the events of one comment (GitHub does not deliver
	// them in order); zero when the payload lacks it.
	UpdatedAt time.Time
}

// call is one command being handled: everything a command's code needs.
type call struct {
	env     *Env
	g       CommentGitHub
	cfg     config.Repo
	c       store.Cohort
	members []store.Member
	cal     cohort.Calendar
	ev      CommentEvent
	role    string // store.IssueHub, store.IssueMentee or roleTask
	owner   string // the mentee whose tracking issue this is
	cmd     cohort.Command
	idx     int
	// orgProblem, when set, is why the author's organizer status could
	// not be decided; a refusal says it instead of its own reason.
	orgProblem string
}

// HandleComment runs the commands of a comment on a cohort's hub or mentee
// issue (SPEC §5). Commands act when the comment is created; an edit or a
// deletion re-reads only a /checkin.
func HandleComment(ctx context.Context, env *Env, g CommentGitHub, cs ConfigSource, ev CommentEvent) error {
	log := zerolog.Ctx(ctx)
	c, role, owner, err := env.Store.CohortByIssue(ctx, ev.Repo, ev.Number)
	if errors.Is(err, store.ErrNotFound) {
		// Tasks live in any repository: found from the bot's own records.
		c, err = taskCohort(ctx, env.Store, ev.Repo, ev.Number)
		role = roleTask
	}
	if errors.Is(err, store.ErrNotFound) {
		return handleAnyIssue(ctx, env, g, cs, ev)
	}
	if err != nil {
		return err
	}
	slots, ignored := selectCommands(cohort.ParseCommandsLimit(ev.Body, cohort.MaxCommandLines))
	run := slots
	if ev.Action == "edited" {
		run = onlyCheckins(slots)
	}
	if len(run) == 0 && ev.Action != "deleted" {
		return nil
	}
	unlock, err := env.lockKey(ctx, cohortLock(c.ID))
	if err != nil {
		return err
	}
	defer unlock()
	stale, err := staleComment(ctx, env, ev)
	switch {
	case err != nil:
		return err
	case stale && ev.Action != "created":
		log.Info().Str("action", ev.Action).Msg("skip: a newer event of this comment was handled already")
		return nil
	case stale:
		run = withoutCheckins(run)
	case ev.Action == "deleted":
		return withdrawCheckin(ctx, env, g, c, ev)
	}
	if len(run) == 0 {
		return nil
	}
	return act(ctx, env, g, cs, ev, commentWork{cohortID: c.ID, role: role, owner: owner, slots: slots, run: run, ignored: ignored})
}

// commentWork is what HandleComment decided to do with a comment.
type commentWork struct {
	cohortID    int64
	role, owner string
	slots, run  []slot // the commands answered; those run by this event
	ignored     []cohort.Command
}

// act runs the commands of w under the author's budget, then writes the
// comment's one reply. The caller holds the cohort's lock.
func act(ctx context.Context, e *Env, g CommentGitHub, cs ConfigSource, ev CommentEvent, w commentWork) error {
	c, err := e.Store.Cohort(ctx, w.cohortID)
	if err != nil {
		return err
	}
	members, err := e.Store.Members(ctx, c.ID)
	if err != nil {
		return err
	}
	if ok, err := admit(ctx, e, g, ev, w.run, members); !ok || err != nil {
		if err == nil {
			err = flushReply(ctx, e, g, ev, w.slots, w.ignored, members)
		}
		return err
	}
	cfg, err := cs.RepoConfig(ctx, c.Repo)
	var ce *ConfigError
	if errors.As(err, &ce) {
		return reportConfigError(ctx, e, g, ev.Repo, ev.Number, ev.CommentID, ce)
	}
	if err != nil {
		return err
	}
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return err
	}
	base := call{env: e, g: g, cfg: cfg, c: c, members: members, cal: cal, ev: ev, role: w.role, owner: w.owner}
	for _, s := range w.run {
		x := base
		x.cmd, x.idx = s.cmd, s.idx
		if err := x.runOnce(ctx); err != nil {
			return err
		}
	}
	return flushReply(ctx, e, g, ev, w.slots, w.ignored, members)
}

// slot is a command of a comment with its index among the comment's
// command lines: effects are keyed by comment id and this index, which a
// replay, an edit or a retry of the same comment finds again.
type slot struct {
	idx int
	cmd cohort.Command
}

// selectCommands picks the commands cohortbot answers (its own and obvious
// misspellings of them), at most cohort.MaxCommands; the rest of them are
// ignored, to be named in the reply. Other bots' commands are neither.
func selectCommands(cmds []cohort.Command, _ bool) (acted []slot, ignored []cohort.Command) {
	for i, c := range cmds {
		if !ours(c) {
			continue
		}
		if len(acted) < cohort.MaxCommands {
			acted = append(acted, slot{idx: i, cmd: c})
		} else {
			ignored = append(ignored, c)
		}
	}
	return acted, ignored
}

// ours reports whether cohortbot answers the command.
func ours(c cohort.Command) bool {
	if _, ok := lookup(c.Name); ok {
		return true
	}
	_, ok := cohort.Misspelling(c.Name, Names())
	return ok
}

func onlyCheckins(cmds []slot) []slot {
	var out []slot
	for _, c := range cmds {
		if c.cmd.Name == "checkin" {
			out = append(out, c)
		}
	}
	return out
}

// runOnce runs the command unless it already ran to the end for this
// comment: a delivery replayed under a new id (the id is not signed), or
// redelivered after the roster changed, must not act again (SPEC §5). Only
// an edit runs a /checkin again: it re-reads the check-in on purpose.
func (x *call) runOnce(ctx context.Context) error {
	key := x.key("command")
	if x.cmd.Name != "checkin" || x.ev.Action == "created" {
		e, err := x.env.Store.GetEffect(ctx, key)
		switch {
		case err == nil && e.State == store.EffectDone:
			zerolog.Ctx(ctx).Info().Str("command", x.cmd.Name).Int("index", x.idx).
				Msg("skip: this command of the comment was handled already")
			return nil
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	if err := x.run(ctx); err != nil {
		return err
	}
	return x.env.Store.PutEffect(ctx, key, store.EffectDone, "")
}

// run dispatches one command through the registry: where, then who, then
// the command's own code.
func (x *call) run(ctx context.Context) error {
	cmd, ok := lookup(x.cmd.Name)
	if !ok {
		if s, ok := cohort.Misspelling(x.cmd.Name, Names()); ok && x.ev.Action == "created" {
			return x.reply(ctx, fmt.Sprintf("did you mean `/%s`? `/%s` is not a cohortbot command, so nothing was done.", s, x.cmd.Name))
		}
		return nil // another bot's command (Prow's /assign, …)
	}
	if !cmd.on(x.role) {
		return x.refuse(ctx, fmt.Sprintf("`/%s` works on %s, not here.", cmd.Name, strings.Join(cmd.Where, " or ")))
	}
	if x.c.State == store.StateCompleted && cmd.Name != "cohort-help" && !cmd.anywhere() && !x.closedByThis(ctx) {
		return x.refuse(ctx, "this cohort has ended; its issues no longer take commands.")
	}
	if cmd.Fresh {
		if err := x.reload(ctx); err != nil {
			return err
		}
	}
	ok, err := x.allowed(ctx, cmd)
	if err != nil {
		return err
	}
	if !ok {
		return x.refuse(ctx, x.refusal(cmd))
	}
	return cmd.Run(ctx, x)
}

// member returns the roster entry of handle.
func (x *call) member(handle string) (store.Member, bool) {
	for _, m := range x.members {
		if strings.EqualFold(m.Handle, handle) {
			return m, true
		}
	}
	return store.Member{}, false
}

func (x *call) isMentor(handle string) bool {
	m, ok := x.member(handle)
	return ok && m.Role == store.RoleMentor && m.Status == store.StatusActive
}

func (x *call) isActiveMentee(handle string) bool {
	m, ok := x.member(handle)
	return ok && m.Role == store.RoleMentee && m.Status == store.StatusActive
}

func (x *call) key(kind string) string {
	return commandKey(kind, x.ev.CommentID, x.idx)
}

// react adds the bot's reaction to the comment once and returns its id.
func (x *call) react(ctx context.Context, content string) (int64, error) {
	v, err := x.env.Store.Once(ctx, reactKey(x.ev.CommentID, content), nil, func() (string, error) {
		id, err := x.g.React(ctx, x.ev.Repo, x.ev.CommentID, content)
		return strconv.FormatInt(id, 10), err
	})
	id, _ := strconv.ParseInt(v, 10, 64)
	return id, err
}

// ok marks the command done: 👍.
func (x *call) ok(ctx context.Context) error {
	_, err := x.react(ctx, "+1")
	return err
}

// refuse answers a refused command: 😕 and one reply "@user: why" quoting
// the comment in a collapsed block (Prow's style).
func (x *call) refuse(ctx context.Context, why string) error {
	if x.orgProblem != "" {
		why = x.orgProblem
	}
	zerolog.Ctx(ctx).Info().Str("command", x.cmd.Name).Str("user", x.ev.Author).Str("why", why).Msg("refused command")
	if _, err := x.react(ctx, "confused"); err != nil {
		return err
	}
	return x.reply(ctx, why)
}

// lockKey takes an arbitrary lease (see lockIssue).
func (e *Env) lockKey(ctx context.Context, key string) (func(), error) {
	return e.lock(ctx, key)
}
