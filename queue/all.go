package queue

import "iter"

// All returns an iterator that takes items with Get, blocking while the
// queue is empty, and yields them until the queue is shut down and has no
// item left for it (Get returns ErrShutdown). It is the consumer loop of
// Python's "while True: item = q.get() ... except ShutDown: break":
//
//	for v := range q.All() {
//		process(v)
//		q.TaskDone()
//	}
//
// All does not call TaskDone: the loop body owns each item it receives,
// including the one it is holding when it breaks out of the loop, and calls
// TaskDone when it has finished with it, exactly as after a Get. Breaking out
// of the loop takes no further item. Several goroutines may range over All
// of the same queue at once; each item goes to exactly one of them.
func (q *Queue[T]) All() iter.Seq[T] {
	q.check()
	return func(yield func(T) bool) {
		for {
			v, err := q.Get()
			if err != nil || !yield(v) {
				return
			}
		}
	}
}
