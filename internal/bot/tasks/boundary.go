package tasks

// TaskCount is a mentee's tasks, for reports.
type TaskCount struct{ Done, Open int }
