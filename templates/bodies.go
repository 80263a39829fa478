package templates

import (
	"regexp"
	"strings"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// CommandDoc is one row of the command reference.
type CommandDoc struct {
	Usage   string
	Who     string
	Summary string
	Example string
}

// WeekRow is one row of the hub's schedule.
type WeekRow struct {
	N           int
	Start, End  string
	Facilitator string
}

// HubData is everything the hub issue body shows.
type HubData struct {
	CohortID       int64
	Spec           cohort.Spec
	Weeks          []WeekRow
	Topics         []string
	GraduationHint string
	CheckinBoard   string
	TaskBoard      string
	Commands       []CommandDoc
	// Roster is filled by RenderHub: the summary, roster and schedule, a
	// bot-owned region re-rendered on every roster or date change.
	Roster string
	// Progress is each mentee's measured ladder progress ("reviewed 12/20
	// ⏳"), by lower-cased handle; the roster shows the column only when
	// something was measured (SPEC §10).
	Progress map[string]string
}

// RenderHub renders the hub issue body.
func RenderHub(d HubData) (string, error) {
	r, err := RenderHubRoster(d)
	if err != nil {
		return "", err
	}
	d.Roster = r
	return render("hub.md.tmpl", d)
}

// RenderHubRoster renders the hub's "roster" region alone.
func RenderHubRoster(d HubData) (string, error) { return render("hub-roster", d) }

// MenteeData is everything a mentee tracking issue body shows.
type MenteeData struct {
	CohortID  int64
	Spec      cohort.Spec
	Handle    string
	Mentor    string
	HubNumber int
	Sections  []string
	Log       string
	Tasks     string
	// About is the "about" region's content; RenderMentee fills it.
	About string
}

// RenderMentee renders a mentee tracking issue body.
func RenderMentee(d MenteeData) (string, error) {
	about, err := RenderMenteeAbout(d)
	if err != nil {
		return "", err
	}
	d.About = about
	return render("mentee.md.tmpl", d)
}

// RenderMenteeAbout renders the "about" region of a mentee tracking issue:
// the cohort, its dates and the paired mentor (or all mentors).
func RenderMenteeAbout(d MenteeData) (string, error) { return render("mentee-about", d) }

// ReplaceMenteeAbout puts about into the "about" region of a mentee issue's
// body, as it stands. An issue opened before the header was a region holds
// the same two paragraphs without markers: they are replaced (and become the
// region) only while they are exactly as the bot wrote them, greeting and
// paired-mentor line. It reports false, and leaves the body alone, when
// neither is there: a person edited or removed them, and their text wins
// over a date or a mentor's name (SPEC §3).
func ReplaceMenteeAbout(body, handle, about string) (string, bool) {
	if out, ok := ReplaceRegion(body, "about", about); ok {
		return out, true
	}
	re := regexp.MustCompile(`(?m)^Hi @` + regexp.QuoteMeta(handle) +
		`, this is your tracking issue for [^\r\n]*\r?\n\r?\n\*\*Paired mentor:\*\* [^\r\n]*`)
	loc := re.FindStringIndex(body)
	if loc == nil {
		return body, false
	}
	r := Region("about", about)
	if strings.Contains(body, "\r\n") {
		r = strings.ReplaceAll(r, "\n", "\r\n")
	}
	return body[:loc[0]] + r + body[loc[1]:], true
}

// BoardRow is one mentee's row of the check-in board: one cell per week.
type BoardRow struct {
	Handle string
	Cells  []string
}

// Board cell marks.
const (
	MarkDone    = "✅"
	MarkMissed  = "❌"
	MarkAway    = "💤"
	MarkNotYet  = "➖"
	MarkSkipped = "⏭️"
	// MarkNotCounted: not on the roster that week, or a week a closed
	// cohort never finished (a /close-cohort before its end).
	MarkNotCounted = "·"
)

// CheckinBoard renders the mentee × week table of the hub.
func CheckinBoard(weeks int, rows []BoardRow) string {
	var b strings.Builder
	b.WriteString("| Mentee |")
	for w := 1; w <= weeks; w++ {
		b.WriteString(" W" + itoa(w) + " |")
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", weeks))
	for _, r := range rows {
		b.WriteString("\n| @" + r.Handle + " |")
		for w := 0; w < weeks; w++ {
			c := MarkNotYet
			if w < len(r.Cells) && r.Cells[w] != "" {
				c = r.Cells[w]
			}
			b.WriteString(" " + c + " |")
		}
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// EmptyTasks is the task board before the first task.
func EmptyTasks(label string) string {
	return "_No tasks yet. Mentors: label an issue or pull request `" + label + "` to hand it to a mentee._"
}

// EmptyLog is the check-in log before the first check-in.
const EmptyLog = "_No check-ins yet._"

// ProblemsData is the validation report on a request.
type ProblemsData struct {
	Sender   string
	Problems []cohort.Problem
	Warnings []cohort.Warning
}

// RenderProblems renders the "needs fixes" comment.
func RenderProblems(d ProblemsData) (string, error) { return render("problems", d) }

// CreatedData is the success report on a request.
type CreatedData struct {
	Name      string
	HubNumber int
	Mentees   []cohort.Mentee
	Warnings  []cohort.Warning
}

// RenderCreated renders the "cohort created" comment.
func RenderCreated(d CreatedData) (string, error) { return render("created", d) }

// RefusalData is a refused command or request, Prow style.
type RefusalData struct {
	User  string
	Why   string
	URL   string
	Quote string
}

// RenderRefusal renders "@user: why" with the trigger quoted in a collapsed
// block. Quote is user text and is quoted line by line.
func RenderRefusal(d RefusalData) (string, error) {
	d.Quote = quote(d.Quote)
	d.Why = DefuseProse(d.Why)
	return render("refusal", d)
}

func quote(s string) string {
	lines := strings.Split(strings.TrimSpace(Text(s)), "\n")
	if len(lines) > 40 {
		lines = append(lines[:40], "…")
	}
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// ConfigErrorData describes a broken repository config file.
type ConfigErrorData struct {
	Source, Path, Key, Message string
	// Retry says how the thing that failed runs again ("edit this issue to
	// try again.").
	Retry string
}

// RenderConfigError renders the comment naming a broken config file and key.
func RenderConfigError(d ConfigErrorData) (string, error) { return render("config-error", d) }

// LogEntry is one week of a mentee's check-in log.
type LogEntry struct {
	Week       int
	From, To   string
	URL        string
	Author     string
	Sections   [][2]string // name, text
	ByMentorOf string      // the mentee, when a mentor checked in for them
}

// MenteeLog renders the check-in log region of a mentee issue, newest week
// first. User text is escaped and cut; mentions are defused.
func MenteeLog(entries []LogEntry) string {
	if len(entries) == 0 {
		return EmptyLog
	}
	var b strings.Builder
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		b.WriteString("**Week " + itoa(e.Week) + "** (" + e.From + " → " + e.To + ") · [check-in](" + e.URL + ")")
		if e.ByMentorOf != "" {
			b.WriteString(" given by mentor @" + e.Author)
		}
		b.WriteString("\n")
		for _, s := range e.Sections {
			lines := strings.Split(Text(cut(s[1], 1500)), "\n")
			b.WriteString("> **" + Cell(s[0]) + ":** " + strings.Join(lines, "\n> ") + "\n")
		}
		b.WriteString("\n")
	}
	return strings.TrimSpace(b.String())
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// DefuseProse defuses @mentions in bot-written Markdown except inside code
// (fenced blocks and inline backticks), where GitHub notifies nobody and a
// reader may copy the text: a template to copy must keep plain handles.
func DefuseProse(s string) string {
	lines := strings.Split(s, "\n")
	fenced := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		parts := strings.Split(l, "`")
		for j := 0; j < len(parts); j += 2 {
			parts[j] = defuse(parts[j])
		}
		lines[i] = strings.Join(parts, "`")
	}
	return strings.Join(lines, "\n")
}
