package config

import (
	"fmt"
	"slices"
)

// Tasks configures tasks that stall (SPEC §13).
type Tasks struct {
	// RemindAfterDays: days without activity by the assignee before the one
	// reminder on the task (0: no reminder).
	RemindAfterDays int `yaml:"remind_after_days"`
	// ReleaseAfterDays: days without activity before the task goes to the
	// next mentee.
	ReleaseAfterDays int `yaml:"release_after_days"`
	// MaxOpenPerMentee: open tasks one mentee may hold at once.
	MaxOpenPerMentee int `yaml:"max_open_per_mentee"`
}

// Retention configures the follow-ups after a cohort closes (SPEC §12).
type Retention struct {
	// FollowUpDays: days after the close of each follow-up, ascending
	// (empty: none).
	FollowUpDays []int `yaml:"follow_up_days"`
}

type rawTasks struct {
	RemindAfterDays  *int `yaml:"remind_after_days"`
	ReleaseAfterDays *int `yaml:"release_after_days"`
	MaxOpenPerMentee *int `yaml:"max_open_per_mentee"`
}

type rawRetention struct {
	FollowUpDays *[]int `yaml:"follow_up_days"`
}

// Limits of the §12 and §13 keys.
const (
	maxStallDays    = 365
	maxOpenTasks    = 100
	maxFollowUps    = 10
	maxFollowUpDays = 3650
)

func defaultTasks() Tasks {
	return Tasks{RemindAfterDays: 7, ReleaseAfterDays: 14, MaxOpenPerMentee: 3}
}

func defaultRetention() Retention { return Retention{FollowUpDays: []int{90, 365}} }

// overlayStall copies the present tasks: and retention: keys onto r.
func (raw rawRepo) overlayStall(r *Repo) {
	if t := raw.Tasks; t != nil {
		set(&r.Tasks.RemindAfterDays, t.RemindAfterDays)
		set(&r.Tasks.ReleaseAfterDays, t.ReleaseAfterDays)
		set(&r.Tasks.MaxOpenPerMentee, t.MaxOpenPerMentee)
	}
	if raw.Retention != nil {
		set(&r.Retention.FollowUpDays, raw.Retention.FollowUpDays)
	}
}

// completeStall lets the stall key the file did not set follow the one it
// did (SPEC §7: a default never makes a file invalid): the release follows a
// later reminder up (twice the reminder, as the defaults 7 and 14), and the
// reminder follows an earlier release down (half of it; none for a release
// after one day).
func (raw rawRepo) completeStall(r *Repo) {
	t := raw.Tasks
	if t == nil {
		return
	}
	if t.ReleaseAfterDays == nil && t.RemindAfterDays != nil && r.Tasks.RemindAfterDays >= r.Tasks.ReleaseAfterDays {
		r.Tasks.ReleaseAfterDays = min(2*r.Tasks.RemindAfterDays, maxStallDays)
	}
	if t.RemindAfterDays == nil && t.ReleaseAfterDays != nil && r.Tasks.ReleaseAfterDays >= 1 &&
		r.Tasks.RemindAfterDays >= r.Tasks.ReleaseAfterDays {
		r.Tasks.RemindAfterDays = r.Tasks.ReleaseAfterDays / 2
	}
}

// validateStall checks the tasks: and retention: values.
func (r *Repo) validateStall(lines map[string]int) []*RepoError {
	var errs []*RepoError
	add := adder(&errs, lines)
	t := r.Tasks
	if t.RemindAfterDays < 0 || t.RemindAfterDays > maxStallDays {
		add("tasks.remind_after_days", "must be between 0 (no reminder) and %d days, not %d", maxStallDays, t.RemindAfterDays)
	}
	switch {
	case t.ReleaseAfterDays < 1 || t.ReleaseAfterDays > maxStallDays:
		add("tasks.release_after_days", "must be between 1 and %d days, not %d", maxStallDays, t.ReleaseAfterDays)
	case t.RemindAfterDays >= 1 && t.RemindAfterDays >= t.ReleaseAfterDays:
		add("tasks.release_after_days", "is %d, not after tasks.remind_after_days (%d): the reminder must come before the release", t.ReleaseAfterDays, t.RemindAfterDays)
	}
	if t.MaxOpenPerMentee < 1 || t.MaxOpenPerMentee > maxOpenTasks {
		add("tasks.max_open_per_mentee", "must be between 1 and %d, not %d", maxOpenTasks, t.MaxOpenPerMentee)
	}
	days := r.Retention.FollowUpDays
	if len(days) > maxFollowUps {
		add("retention.follow_up_days", "lists %d follow-ups; at most %d", len(days), maxFollowUps)
	}
	for i, d := range days {
		key := fmt.Sprintf("retention.follow_up_days[%d]", i)
		switch {
		case d < 1 || d > maxFollowUpDays:
			add(key, "must be between 1 and %d days after the close, not %d", maxFollowUpDays, d)
		case slices.Contains(days[:i], d):
			add(key, "%d is listed twice", d)
		}
	}
	r.Retention.FollowUpDays = slices.Clone(days)
	slices.Sort(r.Retention.FollowUpDays)
	return errs
}
