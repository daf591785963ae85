package lock

import "sync/atomic"

// Waiters returns the number of goroutines parked in l (tests only).
func (l *Lock) Waiters() int {
	return int(atomic.LoadInt32(&l.state) >> mutexWaiterShift)
}

// Starving reports whether l is in starvation mode (tests only).
func (l *Lock) Starving() bool {
	return atomic.LoadInt32(&l.state)&mutexStarving != 0
}
