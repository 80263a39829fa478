// Package kernel is what every flow of cohortbot shares: Env (the store, the clock,
// the job queue, budgets and caches), the GitHub interfaces the flows are made of,
// effects recorded once, issue and cohort locks, labels, every effect and lock key,
// render requests, the repository config and the organizer rule.
package kernel
