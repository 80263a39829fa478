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
	"github.com/cohortbot/cohortbot/templates"
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
		log.Debug().Msg("skip: comment is not on a cohort issue")
		return nil
	}
	if err != nil {
		return err
	}
	cmds, truncated := cohort.ParseCommandsLimit(ev.Body, cohort.MaxCommands)
	if ev.Action == "edited" {
		cmds = onlyCheckins(cmds)
	}
	if len(cmds) == 0 && ev.Action != "deleted" {
		return nil
	}
	if ev.Action != "deleted" {
		if ok, err := env.admit(ctx, g, ev, cmds); !ok {
			return err
		}
	}
	unlock, err := env.lockKey(ctx, fmt.Sprintf("cohort:%d", c.ID))
	if err != nil {
		return err
	}
	defer unlock()
	stale, err := env.staleComment(ctx, ev)
	switch {
	case err != nil:
		return err
	case stale && ev.Action != "created":
		log.Info().Str("action", ev.Action).Msg("skip: a newer event of this comment was handled already")
		return nil
	case stale:
		cmds = withoutCheckins(cmds)
	case ev.Action == "deleted":
		return withdrawCheckin(ctx, env, g, c, ev)
	}
	if len(cmds) == 0 {
		return nil
	}
	if c, err = env.Store.Cohort(ctx, c.ID); err != nil {
		return err
	}
	cfg, err := cs.RepoConfig(ctx, c.Repo)
	var ce *ConfigError
	if errors.As(err, &ce) {
		return reportConfigError(ctx, env, g, ev.Repo, ev.Number, ev.CommentID, ce)
	}
	if err != nil {
		return err
	}
	members, err := env.Store.Members(ctx, c.ID)
	if err != nil {
		return err
	}
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return err
	}
	base := call{env: env, g: g, cfg: cfg, c: c, members: members, cal: cal, ev: ev, role: role, owner: owner}
	for i, cmd := range cmds {
		x := base
		x.cmd, x.idx = cmd, i
		if err := x.run(ctx); err != nil {
			return err
		}
	}
	if truncated && ev.Action == "created" {
		return base.sayTruncated(ctx)
	}
	return nil
}

func onlyCheckins(cmds []cohort.Command) []cohort.Command {
	var out []cohort.Command
	for _, c := range cmds {
		if c.Name == "checkin" {
			out = append(out, c)
		}
	}
	return out
}

// run dispatches one command through the command table.
func (x *call) run(ctx context.Context) error {
	cmd, ok := lookup(x.cmd.Name)
	if !ok {
		if s, ok := cohort.Misspelling(x.cmd.Name); ok && x.ev.Action == "created" {
			return x.reply(ctx, fmt.Sprintf("did you mean `/%s`? `/%s` is not a cohortbot command, so nothing was done.", s, x.cmd.Name))
		}
		return nil // another bot's command (Prow's /assign, …)
	}
	if !cmd.on(x.role) {
		return x.refuse(ctx, fmt.Sprintf("`/%s` works on %s, not here.", cmd.Name, strings.Join(cmd.Where, " or ")))
	}
	if x.c.State == store.StateCompleted && cmd.Name != "cohort-help" {
		return x.refuse(ctx, "this cohort has ended; its issues no longer take commands.")
	}
	return runnerFor(cmd.Name)(ctx, x)
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

func (x *call) isOrganizer(ctx context.Context) (bool, error) {
	return IsOrganizer(ctx, x.g, x.cfg, x.c.Repo, x.ev.Author)
}

func (x *call) key(kind string) string {
	return fmt.Sprintf("%s:%d:%d", kind, x.ev.CommentID, x.idx)
}

// react adds the bot's reaction to the comment once and returns its id.
func (x *call) react(ctx context.Context, content string) (int64, error) {
	v, err := x.env.Store.Once(ctx, fmt.Sprintf("react:%d:%s", x.ev.CommentID, content), nil, func() (string, error) {
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
	zerolog.Ctx(ctx).Info().Str("command", x.cmd.Name).Str("user", x.ev.Author).Str("why", why).Msg("refused command")
	if _, err := x.react(ctx, "confused"); err != nil {
		return err
	}
	return x.reply(ctx, why)
}

// reply writes (or edits) this command's one reply.
func (x *call) reply(ctx context.Context, why string) error {
	body, err := templates.RenderRefusal(templates.RefusalData{User: x.ev.Author, Why: why, URL: x.ev.URL, Quote: x.ev.Body})
	if err != nil {
		return err
	}
	marker := fmt.Sprintf("<!-- cohortbot:reply comment=%d cmd=%d -->", x.ev.CommentID, x.idx)
	_, err = x.env.upsertComment(ctx, x.g, x.key("reply"), x.ev.Repo, x.ev.Number, marker, body+"\n"+marker)
	return err
}

// lockKey takes an arbitrary lease (see lockIssue).
func (e *Env) lockKey(ctx context.Context, key string) (func(), error) {
	return e.lock(ctx, key)
}
