package queue

import "context"

// Put adds v to the queue, blocking while a bounded queue is full. It returns
// ErrShutdown, without adding v, if the queue is shut down before v could be
// added (blocked Puts are woken by Shutdown). A Put blocked on a full queue
// is served first-in first-out with the other blocked Puts. It panics on a
// zero Queue.
func (q *Queue[T]) Put(v T) error {
	return q.put(context.Background(), v, true)
}

// TryPut adds v to the queue if it can do so without blocking. It returns
// ErrFull if a bounded queue is full and ErrShutdown if the queue is shut
// down; either way nothing was added.
func (q *Queue[T]) TryPut(v T) error {
	return q.put(context.Background(), v, false)
}

// PutContext adds v to the queue, blocking while a bounded queue is full
// until there is room, the queue is shut down (ErrShutdown) or ctx is done.
// On success it returns nil; on failure it returns ctx.Err() or ErrShutdown
// and v was not added. A ctx that is already done makes it fail with
// ctx.Err() even when there is room. The context that ended first wins: if
// ctx ended before the Get that would have made room for v, PutContext fails
// and that room goes to the next blocked Put; once v has been moved into the
// queue, PutContext returns nil. It panics if ctx is nil.
func (q *Queue[T]) PutContext(ctx context.Context, v T) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	q.check()
	if err := ctx.Err(); err != nil {
		return err
	}
	return q.put(ctx, v, true)
}

func (q *Queue[T]) put(ctx context.Context, v T, block bool) error {
	q.check()
	q.mu.Lock()
	if q.state != open {
		q.mu.Unlock()
		return ErrShutdown
	}
	// A waiting getter means nothing is queued: hand v straight to it.
	if w := q.getters.PopFront(); w != nil {
		q.unfinished++
		w.Val = handover[T]{item: v, ok: true}
		w.Wake()
		q.mu.Unlock()
		return nil
	}
	if !q.full() {
		q.push(v)
		q.unfinished++
		q.mu.Unlock()
		return nil
	}
	if !block {
		q.mu.Unlock()
		return ErrFull
	}
	// A Get moves v into the queue when it makes room (ok), or Shutdown
	// refuses it; a putter that leaves because ctx ended changed nothing.
	got, err := q.putters.Wait(ctx, &q.mu, handover[T]{item: v}, nil)
	switch {
	case err != nil:
		return err
	case !got.ok:
		return ErrShutdown
	}
	return nil
}
