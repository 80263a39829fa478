package command

import (
	"context"
	"fmt"
	"strings"
)

// runHelp lists the commands this user may use here.
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
		n++
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", c.Usage, c.Summary, FirstLine(c.Example))
	}
	if n == 0 {
		b.Reset()
		b.WriteString("none of cohortbot's commands are open to you on this issue; they are for the cohort's mentees, mentors and organizers.")
	}
	if err := x.OK(ctx); err != nil {
		return err
	}
	return x.Reply(ctx, strings.TrimSpace(b.String()))
}
