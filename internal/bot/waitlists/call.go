package waitlists

import "github.com/cohortbot/cohortbot/internal/bot/command"

// call is a command being handled, as this flow sees it: the registry's
// call, with the flow's own helpers as methods.
type call struct{ *command.Call }
