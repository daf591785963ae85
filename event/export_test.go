package event

// Waiters reports how many Wait and WaitContext calls hold the current
// generation's channel: once it has counted a call, a Set wakes that call.
func (e *Event) Waiters() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.holders
}
