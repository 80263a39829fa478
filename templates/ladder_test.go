package templates

import (
	"strings"
	"testing"
)

// The hub's roster shows the Ladder progress column only once something
// was measured (SPEC §10), with "—" for a mentee not measured yet.
func TestHubRosterProgress(t *testing.T) {
	d := testHub()
	without, err := RenderHubRoster(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(without, "Ladder progress") {
		t.Errorf("column shown with nothing measured:\n%s", without)
	}
	d.Progress = map[string]string{strings.ToLower(d.Spec.Mentees[0].Handle): "reviewed 12/20 ⏳"}
	with, err := RenderHubRoster(d)
	if err != nil {
		t.Fatal(err)
	}
	m0, m1 := d.Spec.Mentees[0], d.Spec.Mentees[1]
	for _, want := range []string{"| Mentee | Mentor | Tracking issue | Ladder progress |\n|---|---|---|---|\n",
		"| @" + m0.Handle + " | @" + m0.Mentor + " | #11 | reviewed 12/20 ⏳ |", "| @" + m1.Handle + " | @" + m1.Mentor + " | #12 | — |"} {
		if !strings.Contains(with, want) {
			t.Errorf("roster lacks %q:\n%s", want, with)
		}
	}
}

// The midpoint comment shows each mentee's last measured progress.
func TestMidpointProgress(t *testing.T) {
	out, err := RenderMidpoint(MidpointData{WeeksDone: 5, Weeks: 10, Step: "Reviewer",
		Mentees: []MenteeStat{{Handle: "mia", CheckedIn: 5, Expected: 5, Progress: "reviewed 12/20 ⏳"}, {Handle: "noah"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "| @mia | 5/5 | 100% | 0 | 0 | reviewed 12/20 ⏳ |") || !strings.Contains(out, "| @noah | 0/0 | — | 0 | 0 | — |") {
		t.Errorf("midpoint:\n%s", out)
	}
}
