package queue

import "context"

// TaskDone tells the queue that the processing of one item taken with Get is
// complete. Consumers call it once per item; when every item put has had its
// TaskDone, blocked Joins return. Calling it more times than items were put
// panics with "queue: TaskDone called too many times" (Python's ValueError),
// and leaves the count unchanged. Items that Shutdown(true) discards are
// counted as done already and need no TaskDone.
func (q *Queue[T]) TaskDone() {
	q.check()
	q.mu.Lock()
	if q.unfinished <= 0 {
		q.mu.Unlock()
		panic(msgTaskDone)
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.wakeJoiners()
	}
	q.mu.Unlock()
}

// Join blocks until every item put in the queue has been accounted for by
// TaskDone (or discarded by Shutdown(true)); it returns at once when no item
// is unfinished. Join never fails, shutdown or not. A Join released by the
// count reaching zero returns even if a Put raises the count again before it
// gets to run (Python's join would wait again): it waits for a moment when
// everything was done, never past one.
func (q *Queue[T]) Join() {
	_ = q.JoinContext(context.Background())
}

// JoinContext is Join that gives up when ctx is done, returning ctx.Err().
// It returns nil whatever the state of ctx when no item is unfinished. It
// panics if ctx is nil.
func (q *Queue[T]) JoinContext(ctx context.Context) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	q.check()
	q.mu.Lock()
	if q.unfinished == 0 {
		q.mu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		q.mu.Unlock()
		return err
	}
	_, err := q.joiners.Wait(ctx, &q.mu, struct{}{}, nil)
	return err
}

func (q *Queue[T]) wakeJoiners() {
	for w := q.joiners.PopFront(); w != nil; w = q.joiners.PopFront() {
		w.Wake()
	}
}
