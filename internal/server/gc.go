package server

import (
	"os"
	"runtime/debug"
)

// Garbage collection of a serving process, unless the operator set GOGC or
// GOMEMLIMIT. Every delivery allocates about twice its body (go-github
// reads it with io.ReadAll in growing chunks) while the live heap is small
// (~8 MB), so Go's default (a collection each time the heap doubles) ran a
// hundred collections a second under webhook load: 13% of the server's CPU,
// and the mark assists were most of the acknowledgement p99 (issue 7,
// docs/PERFORMANCE.md). A collection when the heap is five times the live
// heap, held under a 32 MiB limit of the runtime's memory, keeps the peak
// resident size within the 64 MB budget; a deployment whose live heap
// nears the limit raises GOMEMLIMIT.
const (
	gcPercent   = 400
	memoryLimit = 32 << 20
)

// TuneGC sets the collector for `cohortbot serve`.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
