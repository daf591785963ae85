package mutex

import "time"

// SetStarvationThreshold changes the starvation threshold until restore is
// called. A negative threshold puts every queued waiter in starvation mode.
func SetStarvationThreshold(d time.Duration) (restore func()) {
	old := starvationThreshold
	starvationThreshold = d
	return func() { starvationThreshold = old }
}

// Unlock unlocks m, whatever its tag, and reports true; if m is not locked
// it changes nothing and reports false. The public packages call UnlockFast
// and UnlockSlow themselves, to keep their own panic messages inlinable.
func (m *Mutex) Unlock(tag uint64) bool {
	return m.UnlockFast(tag) || m.UnlockSlow()
}
