// Package tasks is the mentoring-task flow: a good-first-review label hands an issue
// or pull request to a mentee; /pass, /reassign, /task-cohort; the per-mentee cap and
// the stall clocks of SPEC §13.
package tasks
