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

// commandDocs reads the command registry (bot.Commands), the one
// declaration behind parsing, authorisation and every other command doc.
func commandDocs() []commandDoc {
	out := make([]commandDoc, 0, len(bot.Commands))
	for _, c := range bot.Commands {
		out = append(out, commandDoc{Name: c.Name, Usage: c.Usage, Example: c.Example,
			Where: strings.Join(c.Where, ", "), Who: c.WhoText(), Summary: c.Summary})
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
