package templates

import "strings"

// TaskCommentData is the one bot comment on a mentoring task.
type TaskCommentData struct {
	Mentee string // "" when no mentee could take it
	Mentor string
	Cohort string // the cohort's name
	Hub    string // the hub as a cross-repository reference, owner/repo#N
	Label  string // the task label
	PR     bool
	// Fallback: GitHub refused the review request or assignment, so the
	// comment itself asks the mentee.
	Fallback bool
}

// RenderTaskComment renders the task comment.
func RenderTaskComment(d TaskCommentData) (string, error) { return render("task-comment", d) }

// CohortChoice is one cohort a mentor in several cohorts can pick.
type CohortChoice struct{ Slug, Name string }

// TaskQuestionData asks a mentor in several cohorts which one a task is for.
type TaskQuestionData struct {
	Mentor  string
	Cohorts []CohortChoice
}

// RenderTaskQuestion renders the "which cohort?" question.
func RenderTaskQuestion(d TaskQuestionData) (string, error) { return render("task-question", d) }

// TaskRow is one task on a board.
type TaskRow struct {
	Ref    string // owner/repo#N
	URL    string
	Title  string // user text
	PR     bool
	Mentee string
	Mentor string
	State  string // open, done, cancelled or released
	Since  string // YYYY-MM-DD the task was assigned or finished
	// Note follows the state, e.g. "released after 14 days" (SPEC §13);
	// written by the bot, not escaped.
	Note string
}

// Task state marks on the boards.
var taskMarks = map[string]string{"open": "🔄 open", "done": "✅ done", "cancelled": "🚫 cancelled", "released": "↩️ released"}

// TaskBoard renders the task board region: the hub's (every task, with its
// mentee and mentor) or a mentee's (withMentee false). User-written titles
// are escaped; handles are the roster's.
func TaskBoard(rows []TaskRow, withMentee bool) string {
	var b strings.Builder
	b.WriteString("| Task | State | Since |")
	if withMentee {
		b.WriteString(" Mentee | Mentor |")
	}
	b.WriteString("\n|---|---|---|")
	if withMentee {
		b.WriteString("---|---|")
	}
	open, done := 0, 0
	for _, r := range rows {
		kind := "issue"
		if r.PR {
			kind = "PR"
		}
		mark := taskMarks[r.State]
		if mark == "" {
			mark = Cell(r.State)
		}
		if r.Note != "" {
			mark += " · " + r.Note
		}
		b.WriteString("\n| [" + r.Ref + "](" + r.URL + ") " + kind + ": " + Cell(r.Title) + " | " + mark + " | " + r.Since + " |")
		if withMentee {
			mentee := "—"
			if r.Mentee != "" {
				mentee = "@" + r.Mentee
			}
			b.WriteString(" " + mentee + " | @" + r.Mentor + " |")
		}
		switch r.State {
		case "open":
			open++
		case "done":
			done++
		}
	}
	b.WriteString("\n\n" + itoa(open) + " open · " + itoa(done) + " done · " + itoa(len(rows)) + " in all")
	return b.String()
}
