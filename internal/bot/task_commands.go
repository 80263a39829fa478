package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
)

// roleTask is the role of a task issue or PR for the command table.
const roleTask = "task"

// taskCohort finds the cohort of a task issue or PR from the bot's own
// records (tasks live in any repository of the installation): its cohort,
// or while the mentor has not said which, the first cohort asked about.
func taskCohort(ctx context.Context, s *store.Store, repo string, number int) (store.Cohort, error) {
	t, err := s.Task(ctx, repo, number)
	if err != nil {
		return store.Cohort{}, err
	}
	return s.Cohort(ctx, taskLockID(t))
}

// runReassign hands a task to the mentee a mentor names, or with no name to
// the next mentee by the assignment rule.
func runReassign(ctx context.Context, x *call) error {
	t, err := x.env.Store.Task(ctx, x.ev.Repo, x.ev.Number)
	if err != nil {
		return err
	}
	if t.Cause == x.key("task") {
		return x.resumeHand(ctx, t)
	}
	if why := handable(t); why != "" {
		return x.refuse(ctx, why)
	}
	var target string
	if len(x.cmd.Args) == 0 {
		target, err = chooseMentee(ctx, x.env, x.g, x.c, t, x.cfg.Tasks.MaxOpenPerMentee, t.Mentee)
		if errors.Is(err, errAllFull) {
			return x.refuse(ctx, fmt.Sprintf("every other mentee who could take this task already holds %d open tasks (`tasks.max_open_per_mentee`); name one with `/reassign @mentee`.", x.cfg.Tasks.MaxOpenPerMentee))
		}
		if err != nil {
			return err
		}
		if target == "" {
			return x.refuse(ctx, "no other mentee of the cohort can take this task right now (away, withdrawn or already involved); name one with `/reassign @mentee`.")
		}
		return x.hand(ctx, t, target)
	}
	h, err := cohort.NormalizeHandle(x.cmd.Args[0])
	if err != nil {
		return x.refuse(ctx, fmt.Sprintf("%s is not a GitHub handle: %v", cohort.Echo(x.cmd.Args[0]), err))
	}
	if !x.isActiveMentee(h) {
		return x.refuse(ctx, fmt.Sprintf("%s is not an active mentee of %s.", x.named(h), x.c.Spec.Name))
	}
	if strings.EqualFold(h, t.Mentee) && t.State == store.TaskOpen {
		return x.refuse(ctx, fmt.Sprintf("the task is already @%s's.", t.Mentee))
	}
	people, err := x.g.TaskPeople(ctx, t.Repo, t.Number, t.Kind == store.KindPR)
	if err != nil {
		return err
	}
	if strings.EqualFold(people.Author, h) {
		return x.refuse(ctx, fmt.Sprintf("@%s opened this %s, so it cannot be their mentoring task.", h, kindName(t)))
	}
	m, _ := x.member(h)
	return x.hand(ctx, t, m.Handle)
}

// runPass lets the assigned mentee hand the task on to the next mentee by
// the rule (never back to anyone who passed it before).
func runPass(ctx context.Context, x *call) error {
	t, err := x.env.Store.Task(ctx, x.ev.Repo, x.ev.Number)
	if err != nil {
		return err
	}
	if t.Cause == x.key("task") {
		return x.resumeHand(ctx, t)
	}
	if t.State != store.TaskOpen {
		return x.refuse(ctx, handable(t)+" There is nothing to pass.")
	}
	if t.Mentee == "" || !strings.EqualFold(x.ev.Author, t.Mentee) {
		return x.refuse(ctx, fmt.Sprintf("only the mentee this task is assigned to (@%s) may pass it; mentors use `/reassign @mentee`.", t.Mentee))
	}
	target, err := chooseMentee(ctx, x.env, x.g, x.c, t, x.cfg.Tasks.MaxOpenPerMentee, append([]string{t.Mentee}, t.Passed...)...)
	if errors.Is(err, errAllFull) {
		return x.refuse(ctx, fmt.Sprintf("every other mentee who could take this task already holds %d open tasks (`tasks.max_open_per_mentee`), so it stays with you; a mentor can hand it on with `/reassign @mentee`.", x.cfg.Tasks.MaxOpenPerMentee))
	}
	if err != nil {
		return err
	}
	if target == "" {
		return x.refuse(ctx, "no other mentee of the cohort can take this task right now, so it stays with you; a mentor can hand it on with `/reassign @mentee`.")
	}
	t.Passed = append(t.Passed, strings.ToLower(t.Mentee))
	return x.hand(ctx, t, target)
}

// handable says why a task cannot be handed on ("" when it can).
func handable(t store.Task) string {
	switch t.State {
	case store.TaskPending:
		return "this task does not belong to a cohort yet: its mentor has to answer `/task-cohort <slug>` first."
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
	if err := unaskMentee(ctx, x.env, x.g, t, prev, t.Round); err != nil {
		return err
	}
	if err := handTo(ctx, x.env, x.g, x.c, t, target, x.key("task")); err != nil {
		return err
	}
	if prev != "" && !strings.EqualFold(prev, target) {
		if err := x.env.RequestRenders(ctx, x.c.ID, TargetMentee(prev)); err != nil {
			return err
		}
	}
	return x.ok(ctx)
}

// resumeHand finishes a command whose hand-over was recorded before a
// crash: the GitHub side again (each step at most once), then the 👍.
func (x *call) resumeHand(ctx context.Context, t store.Task) error {
	if err := resumeTask(ctx, x.env, x.g, t); err != nil {
		return err
	}
	return x.ok(ctx)
}

// runTaskCohort answers the one question asked of a mentor in several
// active cohorts: which cohort a task is for.
func runTaskCohort(ctx context.Context, x *call) error {
	t, err := x.env.Store.Task(ctx, x.ev.Repo, x.ev.Number)
	if err != nil {
		return err
	}
	if t.Cause == x.key("task") {
		return x.resumeHand(ctx, t)
	}
	if t.State != store.TaskPending {
		return x.refuse(ctx, "this task's cohort is settled already; nothing was changed.")
	}
	if len(x.cmd.Args) != 1 {
		return x.refuse(ctx, "say which cohort: `/task-cohort <slug>`.")
	}
	var slugs []string
	for _, id := range t.Candidates {
		c, err := x.env.Store.Cohort(ctx, id)
		if err != nil {
			return err
		}
		slugs = append(slugs, "`"+c.Spec.Slug+"`")
		if strings.EqualFold(c.Spec.Slug, x.cmd.Args[0]) {
			return x.settleCohort(ctx, t, c)
		}
	}
	return x.refuse(ctx, fmt.Sprintf("%s is not one of this task's cohorts: %s.", cohort.Echo(x.cmd.Args[0]), strings.Join(slugs, ", ")))
}

// settleCohort makes the pending task t a task of cohort c, under c's lease.
func (x *call) settleCohort(ctx context.Context, t store.Task, c store.Cohort) error {
	members, err := x.env.Store.Members(ctx, c.ID)
	if err != nil {
		return err
	}
	mentor := false
	for _, m := range members {
		mentor = mentor || m.Role == store.RoleMentor && m.Status == store.StatusActive && strings.EqualFold(m.Handle, x.ev.Author)
	}
	if !mentor {
		return x.refuse(ctx, fmt.Sprintf("only a mentor of %s may put a task in it.", c.Spec.Name))
	}
	if c.ID != x.c.ID {
		unlock, err := x.env.lockKey(ctx, cohortLock(c.ID))
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := assignNew(ctx, x.env, x.g, c, t, x.cfg.Tasks.MaxOpenPerMentee, x.key("task")); err != nil {
		return err
	}
	return x.ok(ctx)
}
