package kernel

import (
	"github.com/cohortbot/cohortbot/internal/gh"
)

// issueGone reports GitHub answering that an issue is not there any more:
// deleted (410), or transferred or hidden (404). A waitlist issue that is
// gone leaves the waitlist; retrying would loop.
func IssueGone(err error) bool {
	return err != nil && (gh.IsNotFound(err) || gh.IsRefusal(err))
}
