package event

// Waiters reports how many Wait and WaitContext calls have taken the channel
// they block on: once it has counted a call, a Set wakes that call.
func (e *Event) Waiters() uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fetches
}
