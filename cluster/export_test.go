package cluster

// PauseRefresh stops (or resumes) the lease refreshes of l's holds, as a
// holder paused by the system would.
func PauseRefresh(l *Lock, paused bool) { l.paused.Store(paused) }

// OnWatching makes every waiting Lock and Acquire call f once it watches
// the keys it waits for; nil turns it off. Set it while nothing waits.
func OnWatching(f func()) { onWatching = f }
