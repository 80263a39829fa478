package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// The requirements SPEC §10 knows how to measure.
const (
	// ReviewedPRs counts the PRs the mentee reviewed (not their own).
	ReviewedPRs = "reviewed_prs"
	// MergedPRs counts the PRs the mentee authored that were merged.
	MergedPRs = "merged_prs"
)

// Requirements lists the known requirements in the order they are shown.
var Requirements = []string{ReviewedPRs, MergedPRs}

// The values of since.
const (
	SinceAny         = "any"
	SinceCohortStart = "cohort_start"
)

// Ladder is what a ladder step's progress is measured by (SPEC §10):
// thresholds per requirement (0 or absent: not measured), the repositories
// (owner/name) or organizations (owner) they count in (empty: the mentoring
// repository's owner), and whether activity before the cohort counts.
//
// A track's requirements key replaces the step's default requirements as a
// whole: what the file lists is what is measured.
type Ladder struct {
	Requirements map[string]int `yaml:"requirements"`
	Scope        []string       `yaml:"scope"`
	Since        string         `yaml:"since"`
}

// Measured returns the requirements with a target above zero, in the order
// of Requirements.
func (l Ladder) Measured() []string {
	var out []string
	for _, r := range Requirements {
		if l.Requirements[r] > 0 {
			out = append(out, r)
		}
	}
	return out
}

// ScopeOr is the scope to search, the default owner when none is set.
func (l Ladder) ScopeOr(owner string) []string {
	if len(l.Scope) == 0 {
		return []string{owner}
	}
	return l.Scope
}

// FromCohortStart reports whether only activity since the cohort's start
// counts.
func (l Ladder) FromCohortStart() bool { return l.Since == SinceCohortStart }

// scopeRE is an owner or owner/name as GitHub spells them (owners: letters,
// digits and single hyphens; repository names: letters, digits, '.', '-',
// '_').
var scopeRE = regexp.MustCompile(`^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:/[A-Za-z0-9._-]{1,100})?$`)

// maxScope bounds the terms of one search query (GitHub refuses queries of
// more than 256 characters and five AND/OR/NOT operators; a few dozen
// qualifiers are already more than any track needs).
const maxScope = 10

// validate checks one track's ladder keys; path is "tracks.<key>".
func (l *Ladder) validate(path string, lines map[string]int) []*RepoError {
	var errs []*RepoError
	add := adder(&errs, lines)
	for _, k := range slices.Sorted(maps.Keys(l.Requirements)) {
		key := path + ".requirements." + k
		switch {
		case !slices.Contains(Requirements, k):
			add(key, "not a requirement cohortbot can measure; use %s", strings.Join(Requirements, " or "))
		case l.Requirements[k] < 0:
			add(key, "must be a whole number, 0 or more (0: not measured), not %d", l.Requirements[k])
		}
	}
	if len(l.Scope) > maxScope {
		add(path+".scope", "lists %d entries; at most %d fit in one GitHub search", len(l.Scope), maxScope)
	}
	for i, s := range l.Scope {
		if t := strings.TrimSpace(s); !scopeRE.MatchString(t) {
			add(fmt.Sprintf("%s.scope[%d]", path, i), "%q is neither an owner (my-org) nor a repository (my-org/my-repo)", s)
		} else {
			l.Scope[i] = t
		}
	}
	switch strings.TrimSpace(l.Since) {
	case "", SinceAny:
		l.Since = SinceAny
	case SinceCohortStart:
		l.Since = SinceCohortStart
	default:
		add(path+".since", "%q: use cohort_start (only activity since the cohort began) or any (all time)", l.Since)
	}
	return errs
}
