package queue

// Waiting reports how many Gets, Puts and Joins are parked, so that tests can
// wait until a goroutine is blocked instead of sleeping.
func (q *Queue[T]) Waiting() (getters, putters, joiners int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.getters.Len(), q.putters.Len(), q.joiners.Len()
}
