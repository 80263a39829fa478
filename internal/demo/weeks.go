package demo

import (
	"fmt"
	"strings"
	"time"
)

// weekPlan says who does what in one cohort week after the first: the
// program's ordinary rhythm — most mentees check in, one misses and
// recovers, two misses in a row put a mentee at risk, one is away.
type weekPlan struct {
	absent []string // no check-in this week
	away   string   // says /away for this week instead
	note   string
}

var plans = map[int]weekPlan{
	2: {note: "@jon, who missed week 1, checks in again"},
	3: {absent: []string{"hal"}},
	4: {absent: []string{"hal"}, note: "@hal misses a second week in a row"},
	5: {note: "@hal is back"},
	6: {away: "ivy", note: "@ivy is at a conference and says `/away`"},
	7: {},
	8: {absent: []string{"kim"}},
	9: {},
}

// weekStart is 00:00 UTC on the first day of cohort week w (1-based).
func (s *Story) weekStart(w int) time.Time { return s.start.AddDate(0, 0, 7*(w-1)) }

// tellWeeks plays weeks 2 to 9: check-ins on each week's Tuesday, then the
// scheduler at the next Monday, and prints each boundary's summary line.
func (s *Story) tellWeeks() error {
	s.say("Weeks 2 to 9: mentees check in every week; the scheduler runs at each week boundary.")
	for w := 2; w <= 9; w++ {
		if err := s.playWeek(w, plans[w]); err != nil {
			return err
		}
		if err := s.tick(s.weekStart(w + 1).Add(9 * time.Hour)); err != nil {
			return err
		}
		line := s.boundarySummary()
		if p := plans[w]; p.note != "" {
			line += " — " + p.note
		}
		s.detail("%s", line)
		if w == 4 || w == 5 {
			s.detail("  @hal's issue now has %v.", s.labelsLike(s.issueOf("hal"), "checkin/missed", "mentee/at-risk"))
		}
	}
	s.detail("The hub's check-in board after week 9:")
	s.printBoard()
	return nil
}

// playWeek posts week w's check-ins (and /away) on the week's Tuesday.
func (s *Story) playWeek(w int, p weekPlan) error {
	day := s.weekStart(w).Add(26 * time.Hour)
	s.clock.Set(day)
	for _, m := range mentees {
		switch {
		case contains(p.absent, m):
		case m == p.away:
			s.h.Sim.CommentAt(m, repo, s.issueOf(m), "/away", day)
		default:
			body := fmt.Sprintf("/checkin\nAccomplishments: week %d: reviewed two PRs\nChallenges: keeping up with review comments\nNext steps: ask for a harder PR", w)
			s.h.Sim.CommentAt(m, repo, s.issueOf(m), body, day)
		}
	}
	return s.idle()
}

// boundarySummary is the first line of the newest hub comment that gives a
// week's count ("7/8 checked in").
func (s *Story) boundarySummary() string {
	cs := s.botSaid(s.hub())
	for i := len(cs) - 1; i >= 0; i-- {
		for _, l := range strings.Split(cs[i].Body, "\n") {
			if strings.Contains(l, "checked in") {
				return strings.TrimSpace(strings.TrimLeft(l, "#* "))
			}
		}
	}
	return "(no week summary found)"
}

// labelsLike lists which of the named labels issue n has.
func (s *Story) labelsLike(n int, names ...string) []string {
	var out []string
	for _, l := range s.h.Sim.Issue(repo, n).Labels {
		if contains(names, l) {
			out = append(out, l)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
