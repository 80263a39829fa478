package bottest

// Redeliver runs the comment flow again on comment id as it is now, as a
// redelivered issue_comment.created delivery would (GitHub's "Redeliver",
// or a retry after a crash); then it settles renders.
func (w *World) Redeliver(id int64) {
	w.T.Helper()
	c := w.Sim.CommentByID(id)
	if c == nil {
		w.T.Fatalf("no comment %d to redeliver", id)
	}
	w.handleComment("created", c)
}
