// Package checkin is the weekly check-in flow: /checkin (and its edits and
// deletions), the mentee issue's week labels and log, /away and /skip-week.
package checkin
