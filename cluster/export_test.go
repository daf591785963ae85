package cluster

// PauseRefresh stops (or resumes) the lease refreshes of l's holds, as a
// holder paused by the system would.
func PauseRefresh(l *Lock, paused bool) { l.paused.Store(paused) }
