package tasks

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// errAllFull: every mentee who could take a task holds
// tasks.max_open_per_mentee open tasks already.
var ErrAllFull = errors.New("every mentee who could take the task is full")

// minStall is the earliest a task handed out now can need the scheduler
// (the shortest release_after_days).
const minStall = kernel.Day

// sayAllFull tells the labelling mentor, in the task's one comment, that no
// mentee can take t, and records no task.
func sayAllFull(ctx context.Context, env *kernel.Env, g kernel.TaskGitHub, c store.Cohort, t store.Task, maxOpen int) error {
	body, err := templates.RenderTaskFull(templates.TaskFullData{
		Mentor: t.Mentor, Cohort: c.Spec.Name, Label: t.Label, Max: maxOpen, PR: t.Kind == store.KindPR,
	})
	if err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("task", t.Ref()).Int("max_open", maxOpen).Msg("every mentee is full; task not recorded")
	return taskComment(ctx, env, g, t, body)
}

// RecordTaskActivity notes a comment or a commit by who on repo#number at
// at (zero or later than now: now). Only the task's current mentee counts,
// the record only moves forward, and it needs no GitHub call: a comment on
// any issue that is no task costs one indexed update.
func RecordTaskActivity(ctx context.Context, env *kernel.Env, repo string, number int, who string, at time.Time) error {
	now := env.Now()
	if at.IsZero() || at.After(now) {
		at = now
	}
	moved, err := env.Store.TaskActivity(ctx, repo, number, who, at)
	if err == nil && moved {
		zerolog.Ctx(ctx).Info().Str("task", repo+"#"+strconv.Itoa(number)).Str("mentee", who).Time("at", at).Msg("task activity recorded")
	}
	return err
}

// stallClock is when an open task's reminder and release come due.
type StallClock struct {
	Base      time.Time // the later of the hand-out and the last activity
	remindAt  time.Time // zero: no reminder configured
	ReleaseAt time.Time
}

// stallOf is t's stall clock under cfg.
func StallOf(t store.Task, cfg config.Tasks) StallClock {
	k := StallClock{Base: t.AssignedAt}
	if t.LastActivity.After(k.Base) {
		k.Base = t.LastActivity
	}
	if cfg.RemindAfterDays > 0 {
		k.remindAt = k.Base.Add(time.Duration(cfg.RemindAfterDays) * kernel.Day)
	}
	k.ReleaseAt = k.Base.Add(time.Duration(cfg.ReleaseAfterDays) * kernel.Day)
	return k
}

// Stall steps.
const (
	StallNone = iota
	StallRemind
	stallRelease
)

// step is what is due at now, given whether this stall was reminded.
func (k StallClock) Step(now time.Time, reminded bool) int {
	switch {
	case !now.Before(k.ReleaseAt):
		return stallRelease
	case !k.remindAt.IsZero() && !reminded && !now.Before(k.remindAt):
		return StallRemind
	}
	return StallNone
}

// next is the first instant after now with work for the task (zero: none).
func (k StallClock) Next(now time.Time, reminded bool) time.Time {
	if !k.remindAt.IsZero() && !reminded && k.remindAt.After(now) {
		return k.remindAt
	}
	if k.ReleaseAt.After(now) {
		return k.ReleaseAt
	}
	return time.Time{}
}

// stallable reports whether t's stall clock runs: an open task with a
// mentee to remind.
func Stallable(t store.Task) bool { return t.State == store.TaskOpen && t.Mentee != "" }

// StallNote is one entry of Task.Stalled: who the task was taken from, the
// release_after_days then, and when.
type StallNote struct {
	Mentee string
	Days   int
	At     time.Time
}

func (n StallNote) String() string {
	return strings.ToLower(n.Mentee) + ":" + strconv.Itoa(n.Days) + ":" + strconv.FormatInt(n.At.Unix(), 10)
}

// stallNotes reads Task.Stalled (entries it cannot read are skipped).
func stallNotes(t store.Task) []StallNote {
	var out []StallNote
	for _, s := range t.Stalled {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			continue
		}
		d, err1 := strconv.Atoi(parts[1])
		at, err2 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, StallNote{Mentee: parts[0], Days: d, At: time.Unix(at, 0).UTC()})
	}
	return out
}

// stallNote is the note on t's own board row: on the hub, who let it stall
// last ("released after 14 days by @mia").
func stallNote(t store.Task, handle string) string {
	notes := stallNotes(t)
	if handle != "" || len(notes) == 0 {
		return ""
	}
	n := notes[len(notes)-1]
	return "released after " + strconv.Itoa(n.Days) + " days by @" + n.Mentee
}

// stalledRows are the rows a mentee's board (handle) shows for a task that
// stalled in their hands and went on: "↩️ released · released after 14
// days", as of the release.
func stalledRows(t store.Task, handle string, loc *time.Location) []templates.TaskRow {
	if handle == "" || strings.EqualFold(t.Mentee, handle) {
		return nil
	}
	var rows []templates.TaskRow
	for _, n := range stallNotes(t) {
		if strings.EqualFold(n.Mentee, handle) {
			rows = append(rows, templates.TaskRow{Ref: t.Ref(), URL: t.URL, Title: t.Title, PR: t.Kind == store.KindPR,
				Mentee: handle, Mentor: t.Mentor, State: store.TaskReleased, Since: n.At.In(loc).Format("2006-01-02"),
				Note: "released after " + strconv.Itoa(n.Days) + " days"})
		}
	}
	return rows
}
