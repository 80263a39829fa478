// Package render owns the bot-written regions of the hub and mentee issues: their
// bodies, the read state of a cohort (board cells, logs, ladder figures) and the
// render job that rewrites a region only when its text changed.
package render
