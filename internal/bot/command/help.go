package command

import (
	"context"
	"fmt"
	"strings"
)

// RunHelp lists the commands this user may use here. Someone for whom help
// itself is the only one (a passer-by on the hub) is told who the commands
// are for instead of being shown a table of one.
func RunHelp(ctx context.Context, x *Call) error {
	var b strings.Builder
	b.WriteString("here are the cohortbot commands you may use on this issue:\n\n| Command | What it does | Example |\n|---|---|---|\n")
	n := 0
	for _, c := range registry {
		if !c.On(x.Role) {
			continue
		}
		if ok, err := x.Allowed(ctx, c); err != nil {
			return err
		} else if !ok {
			continue
		}
		if c.Name != x.Cmd.Name {
			n++
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", c.Usage, c.Summary, FirstLine(c.Example))
	}
	if n == 0 {
		b.Reset()
		whose := "the cohort's mentees, mentors and organizers"
		if x.Role == RoleAny {
			whose = "the mentees, mentors and organizers of its cohorts"
		}
		b.WriteString("none of cohortbot's commands are open to you on this issue; they are for " + whose + ".")
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	return x.Reply(ctx, strings.TrimSpace(b.String()))
}
