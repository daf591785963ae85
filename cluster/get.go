package cluster

import (
	"context"
	"errors"
)

// Get takes the next item, blocking while none is waiting. Items come out in
// the order they were put, except that an item coming back (its worker died,
// missed the redelivery deadline, or called Retry) is served before newer
// ones once due. After Shutdown(false) it returns the items still waiting and
// then ErrShutdown; after Shutdown(true) it returns ErrShutdown at once.
// Blocked Gets, in every process, wake when the queue is shut down. If the
// connection closes it returns ErrClosed. The item stays unfinished until the
// returned Delivery is settled (TaskDone, Retry or Drop).
func (q *Queue[T]) Get() (*Delivery[T], error) {
	return q.get(context.Background(), true)
}

// TryGet takes the next item if one is waiting now. It returns ErrEmpty if
// none is, or ErrShutdown if none is and the queue is shut down. It blocks
// only for the server's answer, at most the Conn's request timeout.
func (q *Queue[T]) TryGet() (*Delivery[T], error) {
	ctx, cancel := q.reqCtx()
	defer cancel()
	return q.get(ctx, false)
}

// GetContext is Get that gives up when ctx is done, returning ctx.Err(); no
// item was taken then. A ctx that is already done makes it fail at once even
// when an item is waiting. If ctx ends just as an item reaches the call, the
// item goes back to the head of the queue (its Attempt count grows by one).
// A nil ctx panics.
func (q *Queue[T]) GetContext(ctx context.Context) (*Delivery[T], error) {
	if ctx == nil {
		panic(errNilCtx)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return q.get(ctx, true)
}

func (q *Queue[T]) get(ctx context.Context, block bool) (*Delivery[T], error) {
	for {
		st := q.state()
		if st == shutImmediate {
			return nil, ErrShutdown
		}
		m, err := q.pull(ctx, block && st == open)
		switch {
		case errors.Is(err, errWoken):
			continue // shut down meanwhile: look again without waiting
		case errors.Is(err, ErrEmpty) && st != open:
			return nil, ErrShutdown
		case errors.Is(err, ErrEmpty) && block:
			continue
		case err != nil:
			return nil, err
		}
		if q.state() == shutImmediate {
			// Shutdown(true) discards what is queued; this one slipped out.
			_ = q.ack(m, []byte("+TERM cluster: discarded by Shutdown(true)"), true)
			return nil, ErrShutdown
		}
		d := &Delivery[T]{q: q, msg: m}
		if err := q.codec.Unmarshal(m.Data, &d.Value); err != nil {
			derr := &DecodeError{Queue: q.name, Err: err}
			if md, mdErr := m.Metadata(); mdErr == nil {
				derr.Seq = md.Sequence.Stream
			}
			// Drop it: redelivering would fail the same way forever.
			if aerr := q.ack(m, []byte("+TERM "+derr.Error()), true); aerr != nil {
				return nil, errors.Join(derr, aerr)
			}
			return nil, derr
		}
		return d, nil
	}
}
