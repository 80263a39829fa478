package bot

// Roster commands (SPEC §5): not built yet.
var (
	runGraduate     = runNotYet
	runWithdraw     = runNotYet
	runAddMentee    = runNotYet
	runRemoveMentee = runNotYet
	runAddMentor    = runNotYet
	runRemoveMentor = runNotYet
	runExtend       = runNotYet
)
