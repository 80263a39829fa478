// Package waitlists is the waitlist flow (SPEC §11): join-cohort and
// offer-mentoring issues, duplicates, and /propose-cohort.
package waitlists
