// Package request is the new-cohort request flow: recognising a request, its
// validation report, creating the hub and mentee issues, and matching the roster
// with the waitlist.
package request
