package tasks

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// taskLoad is what the assignment rule knows of one mentee's tasks.
type taskLoad struct {
	open int
	last int64 // seq of the latest task assigned to them; 0 for never
}

// pickInput is everything the assignment rule looks at.
type pickInput struct {
	members []store.Member
	mentor  string
	exclude map[string]bool // lower-cased: the author, reviewers, passers…
	away    map[string]bool // lower-cased: /away this week
	load    map[string]taskLoad
	maxOpen int // tasks.max_open_per_mentee; 0: no cap
}

// pickMentee applies SPEC §4's rule: among the mentor's paired mentees (or,
// when the mentor has none that can take it, any mentee of the cohort) who
// are active, not away this week and not excluded, the one with the fewest
// open tasks, ties to the least recently assigned, then roster order. A
// mentee holding maxOpen open tasks takes no more (SPEC §13).
func pickMentee(in pickInput) (string, bool) {
	var paired, all []store.Member
	for _, m := range in.members {
		lower := strings.ToLower(m.Handle)
		if m.Role != store.RoleMentee || m.Status != store.StatusActive || in.exclude[lower] || in.away[lower] {
			continue
		}
		if in.maxOpen > 0 && in.load[lower].open >= in.maxOpen {
			continue
		}
		all = append(all, m)
		if strings.EqualFold(m.Mentor, in.mentor) {
			paired = append(paired, m)
		}
	}
	pool := paired
	if len(pool) == 0 {
		pool = all
	}
	if len(pool) == 0 {
		return "", false
	}
	sort.SliceStable(pool, func(i, j int) bool {
		a, b := in.load[strings.ToLower(pool[i].Handle)], in.load[strings.ToLower(pool[j].Handle)]
		if a.open != b.open {
			return a.open < b.open
		}
		return a.last < b.last
	})
	return pool[0].Handle, true
}

// chooseMentee gathers the rule's inputs for task t in cohort c and picks.
// extra are further handles to skip (the current mentee, those who passed).
// maxOpen is tasks.max_open_per_mentee: errAllFull when that cap alone
// leaves nobody.
func ChooseMentee(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, c store.Cohort, t store.Task, maxOpen int, extra ...string) (string, error) {
	people, err := g.TaskPeople(ctx, t.Repo, t.Number, t.Kind == store.KindPR)
	if err != nil {
		return "", err
	}
	in := pickInput{mentor: t.Mentor, exclude: map[string]bool{}, away: map[string]bool{}, load: map[string]taskLoad{}, maxOpen: maxOpen}
	skip := append(append(append([]string{people.Author}, people.Requested...), people.Reviewed...), extra...)
	if t.Kind == store.KindIssue {
		skip = append(skip, people.Assignees...)
	}
	for _, h := range skip {
		in.exclude[strings.ToLower(h)] = true
	}
	if in.members, err = env.Store.Members(ctx, c.ID); err != nil {
		return "", err
	}
	if err := awayNow(ctx, env, c, in.away); err != nil {
		return "", err
	}
	tasks, err := env.Store.CohortTasks(ctx, c.ID)
	if err != nil {
		return "", err
	}
	for _, x := range tasks {
		l := in.load[strings.ToLower(x.Mentee)]
		if x.State == store.TaskOpen {
			l.open++
		}
		l.last = max(l.last, x.Seq)
		in.load[strings.ToLower(x.Mentee)] = l
	}
	h, ok := pickMentee(in)
	if !ok && in.maxOpen > 0 {
		// Full, or nobody at all? Only the cap is worth saying.
		in.maxOpen = 0
		if _, any := pickMentee(in); any {
			return "", ErrAllFull
		}
	}
	return h, nil
}

// awayNow fills away with the mentees who said /away for the current week.
func awayNow(ctx context.Context, env *kernel.Env, c store.Cohort, away map[string]bool) error {
	cal, err := cohort.NewCalendar(c.Spec)
	if err != nil {
		return err
	}
	week, ok := cal.WeekOf(env.Now())
	if !ok {
		return nil
	}
	aways, err := env.Store.Aways(ctx, c.ID)
	if err != nil {
		return err
	}
	for h, weeks := range aways {
		away[h] = weeks[week]
	}
	return nil
}

// assignNew makes t a task of cohort c for the mentee the rule picks. When
// every mentee who could take it is full, it says so on t and records
// nothing (SPEC §13).
func assignNew(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, c store.Cohort, t store.Task, maxOpen int, cause string) error {
	mentee, err := ChooseMentee(ctx, env, g, c, t, maxOpen)
	if errors.Is(err, ErrAllFull) {
		return sayAllFull(ctx, env, g, c, t, maxOpen)
	}
	if err != nil {
		return err
	}
	t.CohortID, t.Candidates = c.ID, nil
	return HandTo(ctx, env, g, c, t, mentee, cause)
}

// handTo records t as mentee's (a new round) and applies it on GitHub. The
// record comes first: a retry resumes from it instead of choosing again.
func HandTo(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, c store.Cohort, t store.Task, mentee, cause string) error {
	seq, err := env.Store.NextTaskSeq(ctx, c.ID)
	if err != nil {
		return err
	}
	t.Mentee, t.State, t.Round, t.Seq, t.Cause, t.AssignedAt, t.ClosedAt = mentee, store.TaskOpen, t.Round+1, seq, cause, env.Now(), time.Time{}
	if err := env.Store.PutTask(ctx, t); err != nil {
		return err
	}
	// The new round may stall before the cohort's next scheduled work.
	if err := env.Store.DueBy(ctx, c.ID, env.Now().Add(minStall)); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("task", t.Ref()).Str("mentee", mentee).Int64("cohort", c.ID).Int("round", t.Round).Msg("task assigned")
	return applyTask(ctx, env, g, c, t)
}

// resumeTask finishes the GitHub side of a live task (every step is done at
// most once, so this is safe to repeat).
func ResumeTask(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, t store.Task) error {
	if t.State == store.TaskPending {
		var cs []store.Cohort
		for _, id := range t.Candidates {
			c, err := env.Store.Cohort(ctx, id)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		return askCohort(ctx, env, g, t, cs)
	}
	c, err := env.Store.Cohort(ctx, t.CohortID)
	if err != nil {
		return err
	}
	return applyTask(ctx, env, g, c, t)
}

// applyTask asks the mentee (review request or assignment), writes the one
// task comment, labels the task and re-renders the boards.
func applyTask(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, c store.Cohort, t store.Task) error {
	fallback, err := askMentee(ctx, env, g, t)
	if err != nil {
		return err
	}
	body, err := templates.RenderTaskComment(templates.TaskCommentData{
		Mentee: t.Mentee, Mentor: t.Mentor, Cohort: c.Spec.Name, Hub: c.Repo + "#" + strconv.Itoa(c.HubNumber),
		Label: t.Label, PR: t.Kind == store.KindPR, Fallback: fallback,
	})
	if err != nil {
		return err
	}
	if err := taskComment(ctx, env, g, t, body); err != nil {
		return err
	}
	if err := labelTask(ctx, env, g, t); err != nil {
		return err
	}
	return requestTaskRenders(ctx, env, t)
}

// Values of the ask effect.
const (
	askRequested = "requested"
	askAssigned  = "assigned"
	askFallback  = "fallback"
)

// askMentee requests the mentee's review (PR) or assigns them (issue), once
// per round. GitHub refusing (no access, ten assignees) is no error: the
// task comment then asks the mentee instead, and the next mentee is not
// tried. It reports whether that fallback applies.
func askMentee(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, t store.Task) (bool, error) {
	if t.Mentee == "" {
		return false, nil
	}
	v, err := env.Store.Once(ctx, kernel.AskKey(t, t.Round), nil, func() (string, error) {
		if t.Kind == store.KindPR {
			err := g.RequestReview(ctx, t.Repo, t.Number, t.Mentee)
			if gh.IsUnprocessable(err) {
				zerolog.Ctx(ctx).Info().Err(err).Str("task", t.Ref()).Msg("review request refused; falling back to a comment")
				return askFallback, nil
			}
			return askRequested, err
		}
		ok, err := g.AddAssignee(ctx, t.Repo, t.Number, t.Mentee)
		if err == nil && !ok {
			zerolog.Ctx(ctx).Info().Str("task", t.Ref()).Msg("assignment refused; falling back to a comment")
			return askFallback, nil
		}
		return askAssigned, err
	})
	return v == askFallback, err
}

// unaskMentee withdraws round's review request or assignment (when it was
// made) from a mentee the task is taken from, once.
func UnaskMentee(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, t store.Task, mentee string, round int) error {
	e, err := env.Store.GetEffect(ctx, kernel.AskKey(t, round))
	if err != nil || e.State != store.EffectDone || mentee == "" {
		return nil
	}
	_, err = env.Store.Once(ctx, kernel.AskKey(t, round)+":undo", nil, func() (string, error) {
		switch e.Value {
		case askRequested:
			return "done", g.RemoveReviewRequest(ctx, t.Repo, t.Number, mentee)
		case askAssigned:
			return "done", g.RemoveAssignee(ctx, t.Repo, t.Number, mentee)
		}
		return "none", nil
	})
	return err
}

const taskMarker = "<!-- cohortbot:task -->"

// taskComment keeps the one bot comment on a task: the question, then the
// assignment, edited in place on every change.
func taskComment(ctx context.Context, env *kernel.Env, g kernel.Commenter, t store.Task, body string) error {
	_, err := env.UpsertComment(ctx, g, "task-comment:"+kernel.TaskKey(t), t.Repo, t.Number, taskMarker, body+"\n"+taskMarker)
	return err
}

func taskLabelKey(t store.Task) string { return "task-label:" + kernel.TaskKey(t) }

// labelTask puts mentoring/task on the task (created in the TASK's
// repository when missing), once.
func labelTask(ctx context.Context, env *kernel.Env, g kernel.Labeler, t store.Task) error {
	_, err := env.Store.Once(ctx, taskLabelKey(t), nil, func() (string, error) {
		if err := g.EnsureLabels(ctx, t.Repo, kernel.LabelSpecs(kernel.LabelTask)...); err != nil {
			return "", err
		}
		return "on", g.AddLabels(ctx, t.Repo, t.Number, kernel.LabelTask)
	})
	return err
}

// askCohort records a task whose mentor is in several active cohorts and
// asks, in the task's one comment, which cohort it is for. mentoring/task
// goes on now so that the /task-cohort answer reaches the bot.
func askCohort(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, t store.Task, cohorts []store.Cohort) error {
	d := templates.TaskQuestionData{Mentor: t.Mentor}
	t.State, t.Candidates, t.CohortID = store.TaskPending, nil, 0
	for _, c := range cohorts {
		t.Candidates = append(t.Candidates, c.ID)
		d.Cohorts = append(d.Cohorts, templates.CohortChoice{Slug: c.Spec.Slug, Name: c.Spec.Name})
	}
	if err := env.Store.PutTask(ctx, t); err != nil {
		return err
	}
	body, err := templates.RenderTaskQuestion(d)
	if err != nil {
		return err
	}
	if err := taskComment(ctx, env, g, t, body); err != nil {
		return err
	}
	return labelTask(ctx, env, g, t)
}
