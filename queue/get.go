package queue

import "context"

// Get removes and returns the next item (the oldest for New, the newest for
// NewLifo, the least for NewPriority), blocking while the queue is empty.
// After Shutdown(false) it returns the items still queued and then
// ErrShutdown; after Shutdown(true) it returns ErrShutdown at once. Blocked
// Gets are served first-in first-out and are woken by Shutdown. It panics on
// a zero Queue.
func (q *Queue[T]) Get() (T, error) {
	return q.get(context.Background(), true)
}

// TryGet removes and returns the next item if one is queued. It returns
// ErrEmpty if none is, or ErrShutdown if none is and the queue is shut down.
func (q *Queue[T]) TryGet() (T, error) {
	return q.get(context.Background(), false)
}

// GetContext removes and returns the next item, blocking while the queue is
// empty until an item arrives, the queue is shut down (ErrShutdown) or ctx is
// done. On failure it returns the zero T with ctx.Err() or ErrShutdown, and
// no item was taken. A ctx that is already done makes it fail with ctx.Err()
// even when an item is queued. If ctx ends just as an item is handed to the
// blocked call, the hand-over wins and GetContext returns the item.
func (q *Queue[T]) GetContext(ctx context.Context) (T, error) {
	q.check()
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	return q.get(ctx, true)
}

func (q *Queue[T]) get(ctx context.Context, block bool) (T, error) {
	q.check()
	q.mu.Lock()
	if q.size() > 0 {
		v := q.pop()
		// Waiting putters mean the queue was full: the longest-waiting one's
		// item takes the slot just freed.
		if w := q.putters.PopFront(); w != nil {
			q.push(w.Val)
			q.unfinished++
			w.N = granted
			w.Wake()
		}
		q.mu.Unlock()
		return v, nil
	}
	var zero T
	if q.state != open {
		q.mu.Unlock()
		return zero, ErrShutdown
	}
	if !block {
		q.mu.Unlock()
		return zero, ErrEmpty
	}
	w := q.getters.Get()
	q.getters.PushBack(w)
	q.mu.Unlock()
	if !q.getters.Park(ctx, &q.mu, w) {
		// Removed before any Put handed it an item: nothing changed.
		q.mu.Unlock()
		q.getters.Put(w)
		return zero, ctx.Err()
	}
	// A Put handed an item over (granted), or Shutdown woke us empty-handed.
	v, ok := w.Val, w.N == granted
	q.getters.Put(w)
	if !ok {
		return zero, ErrShutdown
	}
	return v, nil
}
