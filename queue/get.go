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
// even when an item is queued. The context that ended first wins: if ctx
// ended before the Put that would have handed this call an item, GetContext
// fails and the item goes to the next blocked Get or into the queue, as if
// this call had never waited; once an item has been handed over, GetContext
// returns it. It panics if ctx is nil.
func (q *Queue[T]) GetContext(ctx context.Context) (T, error) {
	if ctx == nil {
		panic(msgNilContext)
	}
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
			q.push(w.Val.item)
			q.unfinished++
			w.Val.ok = true
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
	// A Put hands an item over (ok), or Shutdown wakes us empty-handed; a
	// getter that leaves because ctx ended changed nothing.
	got, err := q.getters.Wait(ctx, &q.mu, handover[T]{}, nil)
	switch {
	case err != nil:
		return zero, err
	case !got.ok:
		return zero, ErrShutdown
	}
	return got.item, nil
}
