package command

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
)

// CommentGitHub is every GitHub operation the command flows use.
type CommentGitHub interface {
	kernel.Commenter
	kernel.Labeler
	kernel.Permissions
	kernel.TaskWriter
	kernel.Creator
	kernel.RosterEditor
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

// Call is one command being handled: everything a command's code needs.
type Call struct {
	Env     *kernel.Env
	GH      CommentGitHub
	Cfg     config.Repo
	Cohort  store.Cohort
	Members []store.Member
	Cal     cohort.Calendar
	Event   CommentEvent
	Role    string // store.IssueHub, store.IssueMentee or roleTask
	Owner   string // the mentee whose tracking issue this is
	Cmd     cohort.Command
	Idx     int
	// orgProblem, when set, is why the author's organizer status could
	// not be decided; a refusal says it instead of its own reason.
	orgProblem string
}

// CommentWork is what HandleComment decided to do with a comment.
type CommentWork struct {
	CohortID    int64
	Role, Owner string
	Slots, Run  []Slot // the commands answered; those run by this event
	Ignored     []cohort.Command
}

// Act runs the commands of w under the author's budget, then writes the
// comment's one reply. The caller holds the cohort's lock.
func Act(ctx context.Context, e *kernel.Env, g CommentGitHub, cs kernel.ConfigSource, ev CommentEvent, w CommentWork) error {
	c, err := e.Store.Cohort(ctx, w.CohortID)
	if err != nil {
		return err
	}
	members, err := e.Store.Members(ctx, c.ID)
	if err != nil {
		return err
	}
	if ok, err := Admit(ctx, e, g, ev, w.Run, members); !ok || err != nil {
		if err == nil {
			err = FlushReply(ctx, e, g, ev, w.Slots, w.Ignored, members)
		}
		return err
	}
	cfg, err := cs.RepoConfig(ctx, c.Repo)
	var ce *kernel.ConfigError
	if errors.As(err, &ce) {
		return kernel.ReportConfigError(ctx, e, g, ev.Repo, ev.Number, ev.CommentID, ce, kernel.RetryByComment)
	}
	if err != nil {
		return err
	}
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return err
	}
	base := Call{Env: e, GH: g, Cfg: cfg, Cohort: c, Members: members, Cal: cal, Event: ev, Role: w.Role, Owner: w.Owner}
	for _, s := range w.Run {
		x := base
		x.Cmd, x.Idx = s.Cmd, s.Idx
		if err := x.RunOnce(ctx); err != nil {
			return err
		}
	}
	return FlushReply(ctx, e, g, ev, w.Slots, w.Ignored, members)
}

// Slot is a command of a comment with its index among the comment's
// command lines: effects are keyed by comment id and this index, which a
// replay, an edit or a retry of the same comment finds again.
type Slot struct {
	Idx int
	Cmd cohort.Command
}

// SelectCommands picks the commands cohortbot answers (its own and obvious
// misspellings of them), at most cohort.MaxCommands; the rest of them are
// ignored, to be named in the reply. Other bots' commands are neither.
func SelectCommands(cmds []cohort.Command, _ bool) (acted []Slot, ignored []cohort.Command) {
	for i, c := range cmds {
		if !ours(c) {
			continue
		}
		if len(acted) < cohort.MaxCommands {
			acted = append(acted, Slot{Idx: i, Cmd: c})
		} else {
			ignored = append(ignored, c)
		}
	}
	return acted, ignored
}

// ours reports whether cohortbot answers the command.
func ours(c cohort.Command) bool {
	if _, ok := Lookup(c.Name); ok {
		return true
	}
	_, ok := cohort.Misspelling(c.Name, Names())
	return ok
}

func OnlyCheckins(cmds []Slot) []Slot {
	var out []Slot
	for _, c := range cmds {
		if c.Cmd.Name == "checkin" {
			out = append(out, c)
		}
	}
	return out
}

// RunOnce runs the command unless it already ran to the end for this
// comment: a delivery replayed under a new id (the id is not signed), or
// redelivered after the roster changed, must not act again (SPEC §5). Only
// an edit runs a /checkin again: it re-reads the check-in on purpose.
func (x *Call) RunOnce(ctx context.Context) error {
	key := x.Key("command")
	if x.Cmd.Name != "checkin" || x.Event.Action == "created" {
		e, err := x.Env.Store.GetEffect(ctx, key)
		switch {
		case err == nil && e.State == store.EffectDone:
			zerolog.Ctx(ctx).Info().Str("command", x.Cmd.Name).Int("index", x.Idx).
				Msg("skip: this command of the comment was handled already")
			return nil
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	if err := x.run(ctx); err != nil {
		return err
	}
	return x.Env.Store.PutEffect(ctx, key, store.EffectDone, "")
}

// run dispatches one command through the registry: where, then who, then
// the command's own code.
func (x *Call) run(ctx context.Context) error {
	cmd, ok := Lookup(x.Cmd.Name)
	if !ok {
		if s, ok := cohort.Misspelling(x.Cmd.Name, Names()); ok && x.Event.Action == "created" {
			return x.Reply(ctx, fmt.Sprintf("did you mean `/%s`? `/%s` is not a cohortbot command, so nothing was done.", s, x.Cmd.Name))
		}
		return nil // another bot's command (Prow's /assign, …)
	}
	if !cmd.On(x.Role) {
		return x.Refuse(ctx, fmt.Sprintf("`/%s` works on %s, not here.", cmd.Name, wherePhrase(cmd.Where)))
	}
	if x.Cohort.State == store.StateCompleted && cmd.Name != "cohort-help" && !cmd.anywhere() && !x.closedByThis(ctx) {
		return x.Refuse(ctx, "this cohort has ended; its issues no longer take commands.")
	}
	if cmd.Fresh {
		if err := x.reload(ctx); err != nil {
			return err
		}
	}
	ok, err := x.Allowed(ctx, cmd)
	if err != nil {
		return err
	}
	if !ok {
		return x.Refuse(ctx, x.Refusal(cmd))
	}
	if why := cmd.extraWords(x.Cmd.Args); why != "" {
		return x.Refuse(ctx, why)
	}
	return cmd.Run(ctx, x)
}

// Member returns the roster entry of handle.
func (x *Call) Member(handle string) (store.Member, bool) {
	for _, m := range x.Members {
		if strings.EqualFold(m.Handle, handle) {
			return m, true
		}
	}
	return store.Member{}, false
}

func (x *Call) IsMentor(handle string) bool {
	m, ok := x.Member(handle)
	return ok && m.Role == store.RoleMentor && m.Status == store.StatusActive
}

func (x *Call) IsActiveMentee(handle string) bool {
	m, ok := x.Member(handle)
	return ok && m.Role == store.RoleMentee && m.Status == store.StatusActive
}

func (x *Call) Key(kind string) string {
	return kernel.CommandKey(kind, x.Event.CommentID, x.Idx)
}

// react adds the bot's reaction to the comment once and returns its id.
func (x *Call) react(ctx context.Context, content string) (int64, error) {
	v, err := x.Env.Store.Once(ctx, kernel.ReactKey(x.Event.CommentID, content), nil, func() (string, error) {
		id, err := x.GH.React(ctx, x.Event.Repo, x.Event.CommentID, content)
		return strconv.FormatInt(id, 10), err
	})
	id, _ := strconv.ParseInt(v, 10, 64)
	return id, err
}

// OK marks the command done: 👍.
func (x *Call) OK(ctx context.Context) error {
	_, err := x.react(ctx, "+1")
	return err
}

// Refuse answers a refused command: 😕 and one reply "@user: why" quoting
// the comment in a collapsed block (Prow's style).
func (x *Call) Refuse(ctx context.Context, why string) error {
	if x.orgProblem != "" {
		why = x.orgProblem
	}
	zerolog.Ctx(ctx).Info().Str("command", x.Cmd.Name).Str("user", x.Event.Author).Str("why", why).Msg("refused command")
	if _, err := x.react(ctx, "confused"); err != nil {
		return err
	}
	return x.Reply(ctx, why)
}

// wherePhrase names the issues a command works on for a refusal: "the hub",
// "the hub or a mentee issue".
func wherePhrase(where []string) string {
	out := make([]string, len(where))
	for i, w := range where {
		if w == OnHub {
			out[i] = "the " + w
		} else {
			out[i] = "a " + w
		}
	}
	return strings.Join(out, " or ")
}
