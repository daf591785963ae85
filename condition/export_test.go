package condition

// Waiters returns the number of goroutines queued in Wait.
func (c *Condition) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waiters.Len() + int(c.parked.in.Load()-c.parked.out.Load())
}

// NotifyNCount is NotifyN reporting how many waiters it woke.
func (c *Condition) NotifyNCount(n int) int {
	c.held.mustHold(msgNotify)
	if n < 0 {
		panic(msgNegative)
	}
	return c.notify(n)
}
