// Package progress is ladder progress (SPEC §10): measurements queued per mentee and
// run by the ladder job under the search pacer, ladder/ready, and /progress.
package progress
