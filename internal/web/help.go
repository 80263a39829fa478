package web

import (
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot"
)

// commandDoc is one command of the help page.
type commandDoc struct {
	Name, Usage, Example, Where, Who, Summary string
}

// commandDocs reads the command table. It is the one place the pages touch
// it, so that moving to a command registry changes only this function.
func commandDocs() []commandDoc {
	out := make([]commandDoc, 0, len(bot.Commands))
	for _, c := range bot.Commands {
		out = append(out, commandDoc{Name: c.Name, Usage: c.Usage, Example: c.Example,
			Where: strings.Join(c.Where, ", "), Who: c.Who, Summary: c.Summary})
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
