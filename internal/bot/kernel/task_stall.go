package kernel

import (
	"time"
)

// day is the unit of the stall keys: 24 hours from the instant, whatever
// the cohort's time zone.
const Day = 24 * time.Hour
