package cohort

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fourWeeks: mia checks in weeks 1 and 3 and is away in 2; noah checks in
// nowhere; olga joined in week 3; pete withdrew in week 2; rosa was
// removed; week 4 is skipped. Three weeks are settled.
func fourWeeks() *Attendance {
	return &Attendance{
		Weeks: 5, Settled: 3,
		Mentees: []Attendee{
			{Handle: "Mia", Mentor: "ann", JoinedWeek: 1, Active: true, Graduated: true},
			{Handle: "noah", JoinedWeek: 1, Active: true},
			{Handle: "olga", JoinedWeek: 3, Active: true},
			{Handle: "pete", JoinedWeek: 1, LeftWeek: 2},
			{Handle: "rosa", JoinedWeek: 1, LeftWeek: 2, Removed: true},
		},
		Checked: map[string]map[int]bool{"mia": {1: true, 3: true}, "pete": {1: true}},
		Aways:   map[string]map[int]bool{"mia": {2: true}},
		Skipped: map[int]bool{4: true},
	}
}

func TestAttendanceCells(t *testing.T) {
	at := fourWeeks()
	got := map[string][]Cell{}
	for _, m := range at.Mentees {
		for w := 1; w <= at.Weeks; w++ {
			got[m.Handle] = append(got[m.Handle], at.Cell(m, w))
		}
	}
	want := map[string][]Cell{
		"Mia":  {CellCheckedIn, CellAway, CellCheckedIn, CellSkipped, CellNotYet},
		"noah": {CellMissed, CellMissed, CellMissed, CellSkipped, CellNotYet},
		"olga": {CellOffRoster, CellOffRoster, CellMissed, CellSkipped, CellNotYet},
		"pete": {CellCheckedIn, CellOffRoster, CellOffRoster, CellSkipped, CellOffRoster},
		"rosa": {CellMissed, CellOffRoster, CellOffRoster, CellSkipped, CellOffRoster},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cells (-want +got):\n%s", d)
	}
	// Closed before week 5 was settled: not counted, never "not yet".
	at.Closed = true
	if c := at.Cell(at.Mentees[1], 5); c != CellNotCounted {
		t.Errorf("closed, unsettled week: %v, want CellNotCounted", c)
	}
}

func TestAttendanceExpectedAndMissed(t *testing.T) {
	at := fourWeeks()
	mia, noah, olga := at.Mentees[0], at.Mentees[1], at.Mentees[2]
	for _, tc := range []struct {
		name             string
		m                Attendee
		w                int
		expected, missed bool
	}{
		{"checked in", mia, 1, true, false},
		{"away", mia, 2, false, false},
		{"skipped week", noah, 4, false, false},
		{"owed, not settled yet, no check-in", noah, 5, true, true},
		{"before joining", olga, 2, false, false},
		{"week zero", noah, 0, false, false},
		{"case of the handle ignored", Attendee{Handle: "MIA", JoinedWeek: 1, Active: true}, 3, true, false},
	} {
		if e, m := at.Expected(tc.m, tc.w), at.Missed(tc.m, tc.w); e != tc.expected || m != tc.missed {
			t.Errorf("%s: expected %v missed %v, want %v %v", tc.name, e, m, tc.expected, tc.missed)
		}
	}
}

func TestAttendanceSummaries(t *testing.T) {
	at := fourWeeks()
	got := at.Summaries(1, 4)
	noah := at.Mentees[1]
	want := []WeekSummary{
		{Week: 1, Expected: 4, CheckedIn: 2, Missing: []string{"noah", "rosa"}},
		{Week: 2, Expected: 1, CheckedIn: 0, Missing: []string{"noah"}, AtRisk: []Attendee{noah}},
		{Week: 3, Expected: 3, CheckedIn: 1, Missing: []string{"noah", "olga"}},
		{Week: 4, Skipped: true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("summaries (-want +got):\n%s", d)
	}
}

func TestAttendanceFigures(t *testing.T) {
	at := fourWeeks()
	f := at.Figures()
	// Shown: all but rosa. Settled weeks 1–3: mia 2/2 (away in 2), noah
	// 0/3, olga 0/1, pete 1/1.
	if d := cmp.Diff(Figures{Mentees: 4, Graduated: 1, Checked: 3, Expected: 7}, f); d != "" {
		t.Errorf("figures (-want +got):\n%s", d)
	}
	if pct, ok := f.Rate(); !ok || pct != 43 {
		t.Errorf("rate %d%% %v, want 43%% (3 of 7, rounded)", pct, ok)
	}
	if _, ok := (Figures{}).Rate(); ok {
		t.Error("a rate before any week was expected")
	}
	for _, tc := range []struct{ checked, expected, pct int }{{1, 2, 50}, {1, 3, 33}, {2, 3, 67}, {0, 5, 0}, {5, 5, 100}} {
		if pct, _ := (Figures{Checked: tc.checked, Expected: tc.expected}).Rate(); pct != tc.pct {
			t.Errorf("%d/%d: %d%%, want %d%%", tc.checked, tc.expected, pct, tc.pct)
		}
	}
}
