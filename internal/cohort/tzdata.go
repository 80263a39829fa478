package cohort

// The embedded time-zone database is the fallback when the host has none
// (distroless and scratch containers lack /usr/share/zoneinfo): without it a
// request valid on a laptop would be refused in production.
import _ "time/tzdata"
