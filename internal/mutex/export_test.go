package mutex

import "time"

// SetStarvationThreshold changes the starvation threshold until restore is
// called. A negative threshold puts every queued waiter in starvation mode.
func SetStarvationThreshold(d time.Duration) (restore func()) {
	old := starvationThreshold
	starvationThreshold = d
	return func() { starvationThreshold = old }
}
