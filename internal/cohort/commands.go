package cohort

import (
	"strings"
)

// MaxCommands caps the commands of one comment the bot acts on (SPEC §5
// "Abuse limits"), so a pasted log of slash lines cannot make it do
// hundreds of things; the rest are named in its reply as ignored.
const MaxCommands = 10

// MaxCommandLines caps the command lines read from one comment at all: a
// comment body is at most 65,536 characters, so this bounds the work of
// naming the ignored ones.
const MaxCommandLines = 1000

// Command is one command line of a comment.
type Command struct {
	// Name is the word after "/", lower-cased, exactly as typed otherwise:
	// "checkin", but also "checkin:" or "check_in", so that Misspelling can
	// recognise them. Valid reports whether it is a well-formed name.
	Name string
	// Args are the whitespace-separated words after the name.
	Args []string
	// Line is the 1-based line of the comment the command is on.
	Line int
	// Raw is the command line, trimmed and without HTML comments, for
	// quoting in replies.
	Raw string
}

// Valid reports whether the name is well-formed ([a-z][a-z0-9-]*); anything
// else is at best a misspelling.
func (c Command) Valid() bool {
	for i := 0; i < len(c.Name); i++ {
		b := c.Name[i]
		if !(b >= 'a' && b <= 'z' || i > 0 && (b >= '0' && b <= '9' || b == '-')) {
			return false
		}
	}
	return c.Name != ""
}

// ParseCommands returns the commands of a comment in order, at most
// MaxCommands. Prow's conventions: a command is a line starting with "/" (after
// at most three spaces) and a letter, anywhere in the comment; lines in fenced
// code, indented code (four spaces or a tab), HTML comments and block quotes
// ("> /checkin" quotes someone else) are not commands.
func ParseCommands(body string) []Command {
	cmds, _ := ParseCommandsLimit(body, MaxCommands)
	return cmds
}

// ParseCommandsLimit is ParseCommands with a cap of limit commands;
// truncated reports that the comment had more, so the bot can say so.
func ParseCommandsLimit(body string, limit int) (cmds []Command, truncated bool) {
	for _, ml := range scanMarkdown(body) {
		token, rest, ok := commandToken(ml)
		if !ok {
			continue
		}
		if len(cmds) >= limit {
			return cmds, true
		}
		args := strings.Fields(rest)
		if len(args) == 0 {
			args = nil
		}
		cmds = append(cmds, Command{
			Name: strings.ToLower(token),
			Args: args,
			Line: ml.num,
			Raw:  strings.TrimSpace(ml.visible),
		})
	}
	return cmds, false
}

// Misspelling suggests the command meant by an unknown name: "check-in",
// "checkin:", "Check_In", "chekin", "graduated" all mean "checkin" or
// "graduate". It is deliberately narrow — separators and trailing
// punctuation ignored, then at most one typo (a letter added, dropped,
// changed or swapped with its neighbour) — because other bots' commands
// (Prow's /assign, two letters from /reassign; /area, /hold) share the
// comment and must be left alone. ok is false for an exact command
// name, for no close match, and when two commands are equally close.
// known are the command names (the bot's registry declares them, so this
// package knows no command by name).
func Misspelling(name string, known []string) (suggest string, ok bool) {
	n := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "/"))
	for _, c := range known {
		if n == c {
			return "", false
		}
	}
	n = strings.TrimRight(n, ":.,;!?")
	bare := strings.NewReplacer("-", "", "_", "", " ", "").Replace(n)
	if bare == "" || len(bare) > 40 {
		return "", false
	}
	best, bestDist, tie := "", 2, false
	for _, c := range known {
		d := editDistance(bare, strings.ReplaceAll(c, "-", ""))
		switch {
		case d > 1 || d > bestDist:
		case d == bestDist:
			tie = true
		default:
			best, bestDist, tie = c, d, false
		}
	}
	if best == "" || tie {
		return "", false
	}
	return best, true
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
