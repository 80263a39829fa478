package templates

// TaskRemindData is the one reminder on a task that stalls (SPEC §13).
type TaskRemindData struct {
	Mentee      string
	Cohort      string // the cohort's name
	Days        int    // days without activity so far
	ReleaseOn   string // YYYY-MM-DD the task goes to the next mentee
	ReleaseDays int
}

// RenderTaskRemind renders the reminder on a stalled task.
func RenderTaskRemind(d TaskRemindData) (string, error) { return render("task-remind", d) }

// TaskFullData says on a labelled issue or PR that every mentee who could
// take it holds tasks.max_open_per_mentee open tasks already.
type TaskFullData struct {
	Mentor string
	Cohort string
	Label  string
	Max    int
	PR     bool
}

// RenderTaskFull renders the "every mentee is full" comment.
func RenderTaskFull(d TaskFullData) (string, error) { return render("task-full", d) }
