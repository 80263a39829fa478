package tasks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// RoleTask is the role of a task issue or PR for the command table.
const RoleTask = "task"

// RunReassign hands a task to the mentee a mentor names, or with no name to
// the next mentee by the assignment rule.
func RunReassign(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	t, resumed, err := x.task(ctx)
	if resumed || err != nil {
		return err
	}
	if why := handable(t); why != "" {
		return x.Refuse(ctx, why)
	}
	var target string
	if len(x.Cmd.Args) == 0 {
		target, err = ChooseMentee(ctx, x.Env, x.gh, x.Cohort, t, x.Cfg.Tasks.MaxOpenPerMentee, t.Mentee)
		if errors.Is(err, ErrAllFull) {
			return x.Refuse(ctx, fmt.Sprintf("every other mentee who could take this task already holds %d open tasks (`tasks.max_open_per_mentee`); name one with `/reassign @mentee`.", x.Cfg.Tasks.MaxOpenPerMentee))
		}
		if err != nil {
			return err
		}
		if target == "" {
			return x.Refuse(ctx, "no other mentee of the cohort can take this task right now (away, withdrawn or already involved); name one with `/reassign @mentee`.")
		}
		return x.hand(ctx, t, target)
	}
	h, err := cohort.NormalizeHandle(x.Cmd.Args[0])
	if err != nil {
		return x.Refuse(ctx, fmt.Sprintf("%s is not a GitHub handle: %v", cohort.Echo(x.Cmd.Args[0]), err))
	}
	if !x.IsActiveMentee(h) {
		return x.Refuse(ctx, fmt.Sprintf("%s is not an active mentee of %s.", x.Named(h), x.Cohort.Spec.Name))
	}
	if strings.EqualFold(h, t.Mentee) && t.State == store.TaskOpen {
		return x.Refuse(ctx, fmt.Sprintf("the task is already @%s's.", t.Mentee))
	}
	people, err := x.gh.TaskPeople(ctx, t.Repo, t.Number, t.Kind == store.KindPR)
	if err != nil {
		return err
	}
	if strings.EqualFold(people.Author, h) {
		return x.Refuse(ctx, fmt.Sprintf("@%s opened this %s, so it cannot be their mentoring task.", h, kindName(t)))
	}
	m, _ := x.Member(h)
	return x.hand(ctx, t, m.Handle)
}

// RunPass lets the assigned mentee hand the task on to the next mentee by
// the rule (never back to anyone who passed it before).
func RunPass(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	t, resumed, err := x.task(ctx)
	if resumed || err != nil {
		return err
	}
	if t.State != store.TaskOpen {
		return x.Refuse(ctx, handable(t)+" There is nothing to pass.")
	}
	if t.Mentee == "" || !strings.EqualFold(x.Event.Author, t.Mentee) {
		return x.Refuse(ctx, fmt.Sprintf("only the mentee this task is assigned to (@%s) may pass it; mentors use `/reassign @mentee`.", t.Mentee))
	}
	target, err := ChooseMentee(ctx, x.Env, x.gh, x.Cohort, t, x.Cfg.Tasks.MaxOpenPerMentee, append([]string{t.Mentee}, t.Passed...)...)
	if errors.Is(err, ErrAllFull) {
		return x.Refuse(ctx, fmt.Sprintf("every other mentee who could take this task already holds %d open tasks (`tasks.max_open_per_mentee`), so it stays with you; a mentor can hand it on with `/reassign @mentee`.", x.Cfg.Tasks.MaxOpenPerMentee))
	}
	if err != nil {
		return err
	}
	if target == "" {
		return x.Refuse(ctx, "no other mentee of the cohort can take this task right now, so it stays with you; a mentor can hand it on with `/reassign @mentee`.")
	}
	t.Passed = append(t.Passed, strings.ToLower(t.Mentee))
	return x.hand(ctx, t, target)
}

// handable says why a task cannot be handed on ("" when it can).
// task loads the task the command was given on. When this very comment's
// handing was interrupted (a crash or a failed write after the task record
// changed), it finishes that handing instead and reports resumed: the
// command's own checks would now see the task it already changed.
func (x *call) task(ctx context.Context) (t store.Task, resumed bool, err error) {
	t, err = x.Env.Store.Task(ctx, x.Event.Repo, x.Event.Number)
	if err != nil {
		return t, false, err
	}
	if t.Cause == x.Key("task") {
		return t, true, x.resumeHand(ctx, t)
	}
	return t, false, nil
}

func handable(t store.Task) string {
	switch t.State {
	case store.TaskPending:
		return fmt.Sprintf("this task does not belong to a cohort yet: @%s, who labelled it, has to answer `/task-cohort <slug>` first.", t.Mentor)
	case store.TaskDone:
		return "this task is done."
	case store.TaskCancelled:
		return fmt.Sprintf("this task was cancelled; label it `%s` again to make it a task.", t.Label)
	}
	return ""
}

func kindName(t store.Task) string {
	if t.Kind == store.KindPR {
		return "pull request"
	}
	return "issue"
}

// hand takes the task from its mentee (withdrawing the review request or
// assignment the bot made) and gives it to target.
func (x *call) hand(ctx context.Context, t store.Task, target string) error {
	prev := t.Mentee
	if err := UnaskMentee(ctx, x.Env, x.gh, t, prev, t.Round); err != nil {
		return err
	}
	if err := HandTo(ctx, x.Env, x.gh, x.Cohort, t, target, x.Key("task")); err != nil {
		return err
	}
	if prev != "" && !strings.EqualFold(prev, target) {
		if err := x.Env.RequestRenders(ctx, x.Cohort.ID, kernel.TargetMentee(prev)); err != nil {
			return err
		}
	}
	return x.OK(ctx)
}

// resumeHand finishes a command whose hand-over was recorded before a
// crash: the GitHub side again (each step at most once), then the 👍.
func (x *call) resumeHand(ctx context.Context, t store.Task) error {
	if err := ResumeTask(ctx, x.Env, x.gh, t); err != nil {
		return err
	}
	return x.OK(ctx)
}

// RunTaskCohort answers the one question asked of a mentor in several
// active cohorts: which cohort a task is for.
func RunTaskCohort(ctx context.Context, cc *command.Call) error {
	x := wrap(cc)
	t, resumed, err := x.task(ctx)
	if resumed || err != nil {
		return err
	}
	if t.State != store.TaskPending {
		return x.Refuse(ctx, "this task's cohort is settled already; nothing was changed.")
	}
	if len(x.Cmd.Args) != 1 {
		return x.Refuse(ctx, "say which cohort: `/task-cohort <slug>`.")
	}
	var slugs []string
	for _, id := range t.Candidates {
		c, err := x.Env.Store.Cohort(ctx, id)
		if err != nil {
			return err
		}
		slugs = append(slugs, "`"+c.Spec.Slug+"`")
		if strings.EqualFold(c.Spec.Slug, x.Cmd.Args[0]) {
			return x.settleCohort(ctx, t, c)
		}
	}
	return x.Refuse(ctx, fmt.Sprintf("%s is not one of this task's cohorts: %s.", cohort.Echo(x.Cmd.Args[0]), strings.Join(slugs, ", ")))
}

// settleCohort makes the pending task t a task of cohort c, under c's lease.
func (x *call) settleCohort(ctx context.Context, t store.Task, c store.Cohort) error {
	members, err := x.Env.Store.Members(ctx, c.ID)
	if err != nil {
		return err
	}
	mentor := false
	for _, m := range members {
		mentor = mentor || m.Role == store.RoleMentor && m.Status == store.StatusActive && strings.EqualFold(m.Handle, x.Event.Author)
	}
	if !mentor {
		return x.Refuse(ctx, fmt.Sprintf("only a mentor of %s may put a task in it.", c.Spec.Name))
	}
	if c.ID != x.Cohort.ID {
		unlock, err := x.Env.LockKey(ctx, kernel.CohortLock(c.ID))
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := assignNew(ctx, x.Env, x.gh, c, t, x.Cfg.Tasks.MaxOpenPerMentee, x.Key("task")); err != nil {
		return err
	}
	return x.OK(ctx)
}
