// Package schedule is the periodic tick: week boundaries and the midpoint, reminders,
// stalled tasks, the close of a cohort (/close-cohort and the end date) with its final
// report, and the retention follow-ups of SPEC §12.
package schedule
