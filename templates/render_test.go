package templates

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.md from the current templates")

// wj is the word joiner defuse puts after every @.
const wj = "\u2060"

func testSpec() cohort.Spec {
	return cohort.Spec{
		Name: "SIG Apps reviewers 2027", Slug: "sig-apps-reviewers-2027", Step: cohort.StepReviewer,
		Areas:   []string{"sig-apps", "sig-cli | kubectl", strings.Repeat("very-long-area-name-", 12)},
		Mentors: []string{"alice", "bob", "mentor-ann"},
		Mentees: []cohort.Mentee{
			{Handle: "carol", Mentor: "alice", Issue: 11},
			{Handle: "dave", Mentor: "alice", Issue: 12},
			{Handle: "erin", Mentor: "bob", Issue: 13},
			{Handle: "frank", Issue: 14},
			{Handle: "grace", Mentor: "mentor-ann", Issue: 15},
			{Handle: "heidi", Mentor: "bob"},
			{Handle: "ivan"},
			{Handle: "judy-2", Mentor: "mentor-ann", Issue: 18},
		},
		Start: cohort.Date{Year: 2027, Month: time.January, Day: 11}, End: cohort.Date{Year: 2027, Month: time.February, Day: 7},
		CheckinDay: time.Monday, TimeZone: "Europe/Berlin",
		ChatChannel: "#cohort-sig-apps-2027 | <b>bold</b> @here",
		Notes: "Weekly standup in Slack | thread per week. Ping @everyone there, not here.\n" +
			"<script>alert('hub')</script>\n\n" +
			"### Not a field\n- [ ] bring snacks\n\n" +
			strings.Repeat("A very long line of notes without a break. ", 20) + "\n\n" +
			"```\nan unclosed code fence",
	}
}

func testCommands() []CommandDoc {
	return []CommandDoc{
		{Usage: "/checkin [@mentee]", Who: "mentee; mentor for a mentee", Summary: "Records this week's check-in.", Example: "/checkin"},
		{Usage: "/away [N]", Who: "the mentee", Summary: "Excuses you from the current week, or the next N weeks (at most 2).", Example: "/away 2"},
		{Usage: "/add-mentee @x [-> @mentor]", Who: "organizer", Summary: "Adds a mentee.", Example: "/add-mentee @erin -> @alice"},
		{Usage: "/cohort-help", Who: "anyone", Summary: "Lists the commands you may use here.", Example: "/cohort-help"},
	}
}

func testHub() HubData {
	s := testSpec()
	rows := make([]BoardRow, 0, len(s.Mentees))
	for i, m := range s.Mentees {
		cells := []string{MarkDone, MarkMissed, MarkAway}[:i%4]
		rows = append(rows, BoardRow{Handle: m.Handle, Cells: cells})
	}
	rows[1].Cells = []string{MarkDone, MarkSkipped, "", MarkDone}
	return HubData{
		CohortID: 42,
		Spec:     s,
		Weeks: []WeekRow{
			{N: 1, Start: "2027-01-11", End: "2027-01-17", Facilitator: "alice"},
			{N: 2, Start: "2027-01-18", End: "2027-01-24", Facilitator: "bob"},
			{N: 3, Start: "2027-01-25", End: "2027-01-31", Facilitator: "mentor-ann"},
			{N: 4, Start: "2027-02-01", End: "2027-02-07", Facilitator: "alice"},
		},
		Topics:         []string{"Live code review", "Reviewing docs", "Communicating with <empathy> & care"},
		GraduationHint: "Reviewer: member for 3+ months, primary reviewer on 5+ PRs.\nAsk @sig-apps/leads for a sponsor.",
		CheckinBoard:   CheckinBoard(4, rows),
		TaskBoard:      EmptyTasks("good-first-review"),
		Commands:       testCommands(),
	}
}

// longComment is a 60-line comment with a mass mention and HTML inside.
func longComment() string {
	var l []string
	l = append(l, "/add-mentee @mallory", "cc @everyone and @kubernetes/sig-apps-leads", "</details><script>x()</script>")
	for i := len(l) + 1; i <= 60; i++ {
		l = append(l, fmt.Sprintf("line %d of a long comment", i))
	}
	return strings.Join(l, "\r\n")
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		render func() (string, error)
		// want and wantNot are substrings the output must (not) contain,
		// beyond matching the golden file.
		want, wantNot []string
	}{
		{
			name:    "hub",
			render:  func() (string, error) { return RenderHub(testHub()) },
			want:    []string{"@" + wj + "everyone", "@" + wj + "here", `sig-cli \| kubectl`, "&lt;script&gt;", "| @frank | any mentor | #14 |", "| @ivan | any mentor | being created… |"},
			wantNot: []string{"<script>", "<b>", "@everyone", "@here", "@sig-apps/leads"},
		},
		{
			name: "mentee",
			render: func() (string, error) {
				return RenderMentee(MenteeData{
					CohortID: 42, Spec: testSpec(), Handle: "frank", HubNumber: 10,
					Sections: []string{"Accomplishments", "Challenges", "Next steps"},
					Log:      "**Week 1** (2027-01-11 → 2027-01-17) · [check-in](https://github.com/o/r/issues/10#issuecomment-1)\n> **Accomplishments:** reviewed 3 PRs",
					Tasks:    EmptyTasks("good-first-review"),
				})
			},
			want: []string{"Hi @frank,", "any of @alice, @bob, @mentor-ann", "Accomplishments: …\nChallenges: …\nNext steps: …"},
		},
		{
			name: "problems",
			render: func() (string, error) {
				return RenderProblems(ProblemsData{
					Sender: "olivia",
					Problems: []cohort.Problem{
						{Field: cohort.FieldName, Message: "is required", Fix: "Give the cohort a name."},
						{Field: cohort.FieldMentees, Message: "@x|y is not a GitHub handle", Fix: "Write one handle per line, like @octocat."},
						{Field: cohort.FieldStart, Message: `"2027-02-30" is not a real date`, Fix: "Use YYYY-MM-DD."},
						{Field: cohort.FieldTimeZone, Message: "Mars/Olympus is not a time zone", Fix: "Use an IANA name such as Europe/Berlin."},
						{Message: "the request has no form headings\nat all", Fix: "Open the request from the <b>New cohort</b> form."},
					},
					Warnings: []cohort.Warning{{Field: cohort.FieldMentees, Message: "9 mentees is more than the recommended 8"}},
				})
			},
			want:    []string{"5 problems", "Edit the issue to fix them", `@` + wj + `x\|y`, "| (request) | the request has no form headings at all |", "- ⚠️ **Mentees:** 9 mentees"},
			wantNot: []string{"<b>"},
		},
		{
			name: "created",
			render: func() (string, error) {
				return RenderCreated(CreatedData{
					Name: "SIG Apps reviewers 2027", HubNumber: 10,
					Mentees: []cohort.Mentee{{Handle: "carol", Issue: 11}, {Handle: "dave", Issue: 12}, {Handle: "erin", Issue: 13}},
					Warnings: []cohort.Warning{
						{Field: cohort.FieldMentees, Message: "9 mentees is more than the recommended 8"},
						{Message: "@mentor-ann mentors 4 mentees | more than 3"},
					},
				})
			},
			want: []string{"The hub is #10.", "#11 (@carol), #12 (@dave), #13 (@erin).", "- ⚠️ @" + wj + "mentor-ann"},
		},
		{
			name: "refusal",
			render: func() (string, error) {
				return RenderRefusal(RefusalData{
					User: "mallory", Why: "only an organizer may use /add-mentee.",
					URL: "https://github.com/o/r/issues/10#issuecomment-7", Quote: longComment(),
				})
			},
			want:    []string{"@mallory: only", "> cc @" + wj + "everyone and @" + wj + "kubernetes/sig-apps-leads", "> line 40 of a long comment\n> …"},
			wantNot: []string{"line 41", "@everyone", "</details><script>", "\r"},
		},
		{
			name: "final",
			render: func() (string, error) {
				return RenderFinal(FinalData{
					Name: "SIG Apps <b>reviewers</b>", Step: "Reviewer", Why: "reached its end date",
					Graduated: 1, Total: 3, CheckedIn: 12, Expected: 26, TopicsTicked: 3, Topics: 5,
					Weeks: []WeekSummary{
						{Week: 8, CheckedIn: 1, Expected: 3, Missing: []string{"dave", "erin"}},
						{Week: 9, Skipped: true},
						{Week: 10, CheckedIn: 3, Expected: 3},
					},
					Midpoint: &MidpointData{WeeksDone: 5, Weeks: 10, Step: "Reviewer", Hint: "ask @sig-apps/leads",
						Mentees: []MenteeStat{{Handle: "carol", CheckedIn: 5, Expected: 5}, {Handle: "dave", CheckedIn: 1, Expected: 4}}},
					Mentees: []MenteeStat{
						{Handle: "carol", CheckedIn: 9, Expected: 9, TasksDone: 2, Outcome: "graduated", Link: "https://github.com/o/r/pull/1"},
						{Handle: "dave", CheckedIn: 2, Expected: 8, Outcome: "not-graduated"},
						{Handle: "erin", CheckedIn: 1, Expected: 9, Outcome: "withdrawn"},
					},
					Released: []string{"o/r#7"},
				})
			},
			// The tables stand apart: a blank line before each heading and table.
			want:    []string{"\n\n### Weeks 8–10 ended\n\n| Week |", "| 8 | 1/3 | dave, erin |", "| 9 | skipped | — |", "| 10 | 3/3 | — |", "\n\n### Halfway: 5 of 10 weeks\n\n| Mentee | Check-ins | Rate |", "|\n\n**What Reviewer takes:**", "leads\n\n| Mentee | Weeks checked in |"},
			wantNot: []string{"@sig-apps/leads", "<b>", "@dave,"},
		},
		{
			name: "final one week",
			render: func() (string, error) {
				return RenderFinal(FinalData{
					Name: "Short", Step: "Member", Why: "was closed by @olivia with `/close-cohort`", Total: 1, CheckedIn: 1, Expected: 2,
					Weeks:   []WeekSummary{{Week: 2, Expected: 1, Missing: []string{"carol"}}},
					Mentees: []MenteeStat{{Handle: "carol", CheckedIn: 1, Expected: 2, Outcome: "not-graduated"}},
				})
			},
			want:    []string{"\n\n### Week 2 ended\n\n| Week | Checked in | Missing |\n|---|---|---|\n| 2 | 0/1 | carol |\n\n| Mentee |"},
			wantNot: []string{"Halfway", "released"},
		},
		{
			name: "config error",
			render: func() (string, error) {
				return RenderConfigError(ConfigErrorData{
					Source: "o/r", Path: ".github/cohortbot.yml", Key: "checkin.timezone",
					Message: "\"Mars/Olympus\" is not a time zone | use <Area/City>", Retry: "edit this issue to try again.",
				})
			},
			want: []string{"`.github/cohortbot.yml` in `o/r` is invalid at `checkin.timezone`:", `\| use &lt;Area/City&gt;`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", strings.ReplaceAll(tt.name, " ", "-")+".golden.md")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./templates/ -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs (-golden +got; go test ./templates/ -update rewrites it):\n%s", path, diff)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("output contains %q", w)
				}
			}
			if !strings.HasSuffix(got, "\n") || strings.HasSuffix(got, "\n\n") {
				t.Errorf("output should end in exactly one newline")
			}
		})
	}
}

func TestCell(t *testing.T) {
	long := strings.Repeat("é", 250)
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "sig-apps", want: "sig-apps"},
		{name: "pipes", in: "a | b|c", want: `a \| b\|c`},
		{name: "newlines folded", in: "one\ntwo\r\n\r\nthree\tfour  ", want: "one two three four"},
		{name: "html", in: "<script>alert(1)</script> & <!-- x -->", want: "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- x --&gt;"},
		{name: "entity cannot smuggle a mention", in: "&#64;everyone", want: "&amp;#64;everyone"},
		{name: "mentions defused", in: "@everyone and @org/team", want: "@" + wj + "everyone and @" + wj + "org/team"},
		{name: "exactly 200 runes kept", in: long[:400], want: long[:400]},
		{name: "cut at 200 runes", in: long, want: strings.Repeat("é", 199) + "…"},
		{name: "cut before escaping", in: strings.Repeat("x", 199) + "|tail", want: strings.Repeat("x", 199) + "…"},
		{name: "empty", in: " \n ", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Cell(tt.in)); diff != "" {
				t.Errorf("Cell(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "line breaks kept", in: "one\r\ntwo\n\nthree", want: "one\ntwo\n\nthree"},
		{name: "pipes kept", in: "a | b", want: "a | b"},
		{name: "html", in: "<details>x</details> & y", want: "&lt;details&gt;x&lt;/details&gt; &amp; y"},
		{name: "mentions defused", in: "hi @alice\n@bob", want: "hi @" + wj + "alice\n@" + wj + "bob"},
		{name: "region marker neutralised", in: "<!-- cohortbot:end tasks -->", want: "&lt;!-- cohortbot:end tasks --&gt;"},
		{name: "capped", in: strings.Repeat("a", 6000), want: strings.Repeat("a", 4999) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Text(tt.in)); diff != "" {
				t.Errorf("Text(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestReplaceRegion(t *testing.T) {
	region := func(content string) string { return Region("tasks", content) }
	begin, end := "<!-- cohortbot:begin tasks -->", "<!-- cohortbot:end tasks -->"
	tests := []struct {
		name, body, want string
		wantOK           bool
	}{
		{
			name:   "replaces only the region",
			body:   "## Topics\n\n- [x] Live code review\n- [ ] Reviewing docs\n\n" + region("old board") + "\n\n## Notes\n\nhuman text\n",
			want:   "## Topics\n\n- [x] Live code review\n- [ ] Reviewing docs\n\n" + region("new board") + "\n\n## Notes\n\nhuman text\n",
			wantOK: true,
		},
		{
			name:   "other regions untouched",
			body:   Region("checkins", "board") + "\n" + region("old") + "\n",
			want:   Region("checkins", "board") + "\n" + region("new board") + "\n",
			wantOK: true,
		},
		{
			name:   "region at the very start and end",
			body:   region("old"),
			want:   region("new board"),
			wantOK: true,
		},
		{
			name: "begin marker missing",
			body: "- [x] ticked\n\nold\n" + end + "\n",
			want: "- [x] ticked\n\nold\n" + end + "\n",
		},
		{
			name: "end marker missing",
			body: "- [x] ticked\n\n" + begin + "\nold\n",
			want: "- [x] ticked\n\n" + begin + "\nold\n",
		},
		{
			name: "end marker only before begin",
			body: end + "\n- [x] ticked\n" + begin + "\nold\n",
			want: end + "\n- [x] ticked\n" + begin + "\nold\n",
		},
		{
			name: "no markers at all",
			body: "a human rewrote everything",
			want: "a human rewrote everything",
		},
		{
			name:   "CRLF body keeps CRLF",
			body:   "## Topics\r\n\r\n- [x] Live code review\r\n\r\n" + begin + "\r\nold\r\nlines\r\n" + end + "\r\n\r\ntail\r\n",
			want:   "## Topics\r\n\r\n- [x] Live code review\r\n\r\n" + begin + "\r\nnew board\r\nsecond line\r\n" + end + "\r\n\r\ntail\r\n",
			wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := "new board"
			if strings.Contains(tt.name, "CRLF") {
				content = "new board\nsecond line\n"
			}
			got, ok := ReplaceRegion(tt.body, "tasks", content)
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if ok {
				again, _ := ReplaceRegion(got, "tasks", content)
				if again != got {
					t.Errorf("a second replacement changed the body again:\n%s", cmp.Diff(got, again))
				}
			}
		})
	}
}

func TestCheckinBoard(t *testing.T) {
	got := CheckinBoard(3, []BoardRow{{Handle: "carol", Cells: []string{MarkDone, "", MarkAway, MarkDone}}, {Handle: "dave"}})
	want := "| Mentee | W1 | W2 | W3 |\n|---|---|---|---|\n" +
		"| @carol | ✅ | ➖ | 💤 |\n" +
		"| @dave | ➖ | ➖ | ➖ |"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckinBoard (-want +got):\n%s", diff)
	}
	if got := CheckinBoard(12, nil); !strings.HasPrefix(got, "| Mentee | W1 |") || !strings.Contains(got, " W10 | W11 | W12 |\n") {
		t.Errorf("CheckinBoard(12) header = %q", got)
	}
}

func TestQuoted(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "one line", in: "hello @bob", want: "hello @" + wj + "bob"},
		{name: "later lines prefixed", in: "a\nb\r\nc", want: "a\n> b\n> c"},
		{name: "blank lines kept, indentation kept", in: "a\n\n\n  - b  ", want: "a\n>\n>\n>   - b"},
		{name: "unclosed fence stays quoted", in: "see:\n```\ncode", want: "see:\n> ```\n> code"},
		{name: "outer space trimmed", in: "\n\n  a\n\n", want: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Quoted(tt.in)); diff != "" {
				t.Errorf("Quoted(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestOutsideAndCopyRegions(t *testing.T) {
	ours := "Intro by a human\n\n" + Region("log", "week 1: done") + "\n\nMore human text\n" + Region("tasks", "- none")
	theirs := "Intro by a human, edited\r\n\r\n" + Region("log", "stale") + "\r\n\r\nMore human text\r\n"
	if got, want := Outside(ours), "Intro by a human\n\n<!-- cohortbot:begin log --><!-- cohortbot:end log -->\n\nMore human text\n<!-- cohortbot:begin tasks --><!-- cohortbot:end tasks -->"; got != want {
		t.Errorf("Outside(ours) =\n%q\nwant\n%q", got, want)
	}
	if Outside(ours) == Outside(theirs) {
		t.Error("a human edit outside the regions is not seen")
	}
	if Outside(Region("log", "a")) != Outside(Region("log", "b\nc")) {
		t.Error("region contents count as human text")
	}
	merged := CopyRegions(ours, theirs)
	for _, want := range []string{"Intro by a human, edited", "week 1: done", "- none", "More human text"} {
		if !strings.Contains(merged, want) {
			t.Errorf("merged body lacks %q:\n%s", want, merged)
		}
	}
	if strings.Contains(merged, "stale") {
		t.Errorf("merged body keeps the stale region:\n%s", merged)
	}
	if Outside(merged) == Outside(ours) {
		t.Error("merged body lost the human edit")
	}
	// A begin marker without its end is not a region: nothing is swallowed.
	broken := "keep <!-- cohortbot:begin log --> this"
	if Outside(broken) != broken {
		t.Errorf("Outside(%q) = %q", broken, Outside(broken))
	}
}
