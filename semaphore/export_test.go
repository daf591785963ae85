package semaphore

// Waiters reports how many goroutines are queued.
func (s *Semaphore) Waiters() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiters.Len()
}

// Queued reports whether the state's queued bit is set.
func (s *Semaphore) Queued() bool {
	return s.state.Load()&queued != 0
}
