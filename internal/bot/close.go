package bot

// Closing a cohort (SPEC §6): not built yet.
var runCloseCohort = runNotYet
