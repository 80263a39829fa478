package kernel

import (
	"slices"
	"strings"
)

// hasLabel reports whether labels holds l (GitHub compares label names
// without regard to case).
func HasLabel(labels []string, l string) bool {
	return slices.ContainsFunc(labels, func(s string) bool { return strings.EqualFold(s, l) })
}
