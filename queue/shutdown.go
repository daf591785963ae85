package queue

// Shutdown shuts the queue down, as Python 3.13's Queue.shutdown does. From
// then on every Put and TryPut fails with ErrShutdown, and every blocked Put
// wakes with ErrShutdown without adding its item.
//
// With immediate false, Gets go on returning the items already queued and
// fail with ErrShutdown once it is empty; blocked Gets (which only wait on an
// empty queue) wake with ErrShutdown.
//
// With immediate true, the queued items are discarded and each counts as a
// finished task (the unfinished count drops by their number, never below
// zero), so every Get fails with ErrShutdown at once and Join returns as soon
// as the items already taken have had their TaskDone.
//
// Shutdown may be called any number of times from any goroutine; a graceful
// shutdown may be followed by an immediate one, and a later graceful call
// does not undo an immediate one.
func (q *Queue[T]) Shutdown(immediate bool) {
	q.check()
	q.mu.Lock()
	if q.state == open {
		q.state = shutGraceful
	}
	if immediate && q.state != shutImmediate {
		q.state = shutImmediate
		n := q.size()
		if q.order == orderPriority {
			q.heap.clear()
		} else {
			q.items.Clear()
		}
		q.unfinished = max(q.unfinished-n, 0)
		if q.unfinished == 0 {
			q.wakeJoiners()
		}
	}
	// Woken with ok false: refused.
	for w := q.putters.PopFront(); w != nil; w = q.putters.PopFront() {
		w.Wake()
	}
	for w := q.getters.PopFront(); w != nil; w = q.getters.PopFront() {
		w.Wake()
	}
	q.mu.Unlock()
}
