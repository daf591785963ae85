package cluster

import (
	"errors"
	"iter"
)

// All returns an iterator for worker loops: it takes items with Get, blocking
// while none is waiting, and yields each Delivery with a nil error, until the
// queue is shut down and has no item left for it. An item the codec cannot
// decode is yielded as (nil, *DecodeError) and the loop may go on; any other
// error (ErrClosed, ...) is yielded as (nil, err) and ends the loop.
//
//	for d, err := range q.All() {
//		if err != nil {
//			log.Print(err)
//			continue
//		}
//		process(d.Value)
//		if err := d.TaskDone(); err != nil { ... }
//	}
//
// All does not settle deliveries: the loop body owns each one, including the
// one it holds when it breaks out of the loop. Several goroutines and
// processes may range over All of the same queue at once; each item goes to
// one of them at a time.
func (q *Queue[T]) All() iter.Seq2[*Delivery[T], error] {
	return func(yield func(*Delivery[T], error) bool) {
		for {
			d, err := q.Get()
			switch {
			case err == nil:
				if !yield(d, nil) {
					return
				}
			case errors.Is(err, ErrShutdown):
				return
			case errors.Is(err, ErrUndecodable):
				if !yield(nil, err) {
					return
				}
			default:
				yield(nil, err)
				return
			}
		}
	}
}
