package rlock

// Waiters returns the number of goroutines parked in r (tests only).
func (r *RLock) Waiters() int { return r.m.Waiters() }
