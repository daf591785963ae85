package lock

// Waiters returns the number of goroutines parked in l (tests only).
func (l *Lock) Waiters() int { return l.m.Waiters() }

// Starving reports whether l is in starvation mode (tests only).
func (l *Lock) Starving() bool { return l.m.Starving() }
