package waitlist

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// maxSpread is how far apart (in UTC offset) the mentees of one proposed
// cohort may live: SPEC §11 groups mentees whose time zones differ by more
// than 6 hours into different cohorts.
const maxSpread = 6 * time.Hour

// Proposal is what /propose-cohort would open: the oldest matching mentees
// of one time-zone group and enough mentor offers for the ratio, or what is
// missing.
type Proposal struct {
	Step    string
	Areas   []string
	Mentees []Waiting
	Mentors []Waiting
	// Other is how many matching mentees were left for another cohort (over
	// max_mentees, or in time zones more than 6 hours from this group).
	Other int
	// Missing says why no cohort can be proposed ("" when one can).
	Missing string
}

// ParseStep reads the ladder step at the start of a command's arguments
// ("Subproject owner" is two words) and returns the rest as the SIG or area.
// ok is false when the arguments do not start with a ladder step.
func ParseStep(args []string) (step, area string, ok bool) {
	for _, n := range []int{2, 1} {
		if len(args) < n {
			continue
		}
		if s := NormalizeStep(strings.Join(args[:n], " ")); s != "" {
			return s, strings.Join(args[n:], " "), true
		}
	}
	return "", "", false
}

// Propose picks a cohort from the waitlist ws for step and, when area is
// not empty, that SIG or area (SPEC §11): mentees oldest first, kept to the
// time-zone group of the oldest (the 6-hour window around the oldest
// mentee's offset that holds the most of them), at most maxMentees; then
// mentor offers of the same step sharing an area, the group's time zones
// first and oldest first, until there are ⌈mentees ÷ perMentor⌉ mentors
// who together take every mentee. Offsets are taken at instant at.
func Propose(ws []Waiting, step, area string, maxMentees, perMentor int, at time.Time) Proposal {
	p := Proposal{Step: step}
	var want []string
	if area != "" {
		want = []string{area}
	}
	mentees := Match(byKind(ws, KindMentee), step, want, nil)
	if len(mentees) == 0 {
		p.Missing = fmt.Sprintf("no mentee on the waitlist aims for %s%s.", step, inArea(area))
		return p
	}
	lo := window(mentees, at)
	for _, m := range mentees {
		if o := offset(m.TimeZone, at); o >= lo && o <= lo+maxSpread && len(p.Mentees) < maxMentees {
			p.Mentees = append(p.Mentees, m)
		}
	}
	p.Other = len(mentees) - len(p.Mentees)
	p.Areas = want
	if area == "" {
		p.Areas = topAreas(p.Mentees, 3)
	}
	p.pickMentors(ws, lo, perMentor, at)
	return p
}

func (p *Proposal) pickMentors(ws []Waiting, lo time.Duration, perMentor int, at time.Time) {
	taken := map[string]bool{}
	for _, m := range p.Mentees {
		taken[strings.ToLower(m.Handle)] = true
	}
	offers := Match(byKind(ws, KindMentor), p.Step, p.Areas, taken)
	sort.SliceStable(offers, func(i, j int) bool {
		return inWindow(offers[i], lo, at) && !inWindow(offers[j], lo, at)
	})
	n := len(p.Mentees)
	need := (n + perMentor - 1) / perMentor
	capacity := 0
	for _, o := range offers {
		if len(p.Mentors) >= need && capacity >= n {
			break
		}
		p.Mentors = append(p.Mentors, o)
		capacity += o.Capacity
	}
	if len(p.Mentors) < need || capacity < n {
		p.Missing = fmt.Sprintf("%s match (%s) but only %s for %s%s, taking %s between them; "+
			"a cohort of %d needs at least %s with room for every mentee. Ask mentors to file the offer-mentoring form.",
			Plural(n, "mentee"), handles(p.Mentees), Plural(len(offers), "mentor offer"), p.Step,
			inArea(strings.Join(p.Areas, ", ")), Plural(capacity, "mentee"), n, Plural(need, "mentor"))
	}
}

func inArea(area string) string {
	if area == "" {
		return ""
	}
	return " in " + area
}

func handles(ws []Waiting) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = "`@" + w.Handle + "`"
	}
	return strings.Join(out, ", ")
}

func byKind(ws []Waiting, kind string) []Waiting {
	var out []Waiting
	for _, w := range ws {
		if w.Kind == kind {
			out = append(out, w)
		}
	}
	return out
}

// offset is a zone's UTC offset at at; a zone that no longer loads (the
// entry was valid when filed) counts as UTC.
func offset(tz string, at time.Time) time.Duration {
	loc, err := cohort.LoadTimeZone(tz)
	if err != nil {
		return 0
	}
	_, off := at.In(loc).Zone()
	return time.Duration(off) * time.Second
}

// window returns the start of the maxSpread-wide offset window that holds
// the oldest mentee (ms[0]) and the most mentees; ties go to the earliest
// start.
func window(ms []Waiting, at time.Time) time.Duration {
	anchor := offset(ms[0].TimeZone, at)
	best, bestN := anchor, -1
	var starts []time.Duration
	for _, m := range ms {
		if o := offset(m.TimeZone, at); o <= anchor && o >= anchor-maxSpread {
			starts = append(starts, o)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	for _, lo := range starts {
		n := 0
		for _, m := range ms {
			if o := offset(m.TimeZone, at); o >= lo && o <= lo+maxSpread {
				n++
			}
		}
		if n > bestN {
			best, bestN = lo, n
		}
	}
	return best
}

func inWindow(w Waiting, lo time.Duration, at time.Time) bool {
	o := offset(w.TimeZone, at)
	return o >= lo && o <= lo+maxSpread
}

// topAreas returns up to n areas that two or more of ws share, most shared
// first (ties in first-seen order), or the most common one when none is
// shared: the cohort's SIGs, named in its title.
func topAreas(ws []Waiting, n int) []string {
	count := map[string]int{}
	first := map[string]string{}
	var order []string
	for _, w := range ws {
		for _, a := range w.Areas {
			k := AreaKey(a)
			if _, ok := first[k]; !ok {
				first[k] = a
				order = append(order, k)
			}
			count[k]++
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	keep := 1
	for keep < len(order) && keep < n && count[order[keep]] >= 2 {
		keep++
	}
	order = order[:min(keep, len(order))]
	out := make([]string, len(order))
	for i, k := range order {
		out[i] = first[k]
	}
	return out
}
