package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// recheck is how often a call waiting on other processes (a Put on a full
// queue, a Join) asks the server again even without a notice, in case one
// was lost or the change came from a client that sends none.
const recheck = 500 * time.Millisecond

// Put adds v to the queue and returns once the server has stored it, blocking
// while a bounded queue is full. It returns ErrShutdown, without adding v, if
// the queue is shut down, by any process, before v could be added; ErrClosed
// if the connection closes; an encoding error if the codec fails. If the
// connection fails while the server is storing v, Put reports the error and
// v may or may not have been added.
func (q *Queue[T]) Put(v T) error {
	return q.put(context.Background(), v, true)
}

// TryPut adds v to the queue if there is room now. It returns ErrFull if a
// bounded queue is full and ErrShutdown if the queue is shut down; either
// way nothing was added. It blocks only for the server's answer.
func (q *Queue[T]) TryPut(v T) error {
	return q.put(context.Background(), v, false)
}

// PutContext is Put that gives up waiting for room when ctx is done,
// returning ctx.Err(); v was not added then. A ctx that is already done makes
// it fail at once even when there is room. ctx bounds the wait for room, not
// the store itself, which once sent completes or fails within the Conn's
// request timeout, so that a cancelled PutContext never leaves v half-added.
// A nil ctx panics.
func (q *Queue[T]) PutContext(ctx context.Context, v T) error {
	if ctx == nil {
		panic(errNilCtx)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return q.put(ctx, v, true)
}

func (q *Queue[T]) put(ctx context.Context, v T, block bool) error {
	if q.state() != open {
		return ErrShutdown
	}
	data, err := q.codec.Marshal(v)
	if err != nil {
		return fmt.Errorf("cluster: queue %q: encode: %w", q.name, err)
	}
	var done <-chan struct{}
	for {
		err := q.publish(data)
		switch {
		case err == nil:
			return nil
		case isFull(err):
			if !block {
				return ErrFull
			}
		case errors.Is(err, jetstream.ErrNoStreamResponse), errors.Is(err, nats.ErrNoResponders):
			// The stream stopped listening on the subject: shut down.
			rctx, cancel := q.reqCtx()
			st, rerr := q.refresh(rctx)
			cancel()
			if st != open {
				return ErrShutdown
			}
			if rerr != nil {
				return rerr
			}
			return fmt.Errorf("cluster: queue %q: put: %w", q.name, err)
		default:
			return q.c.closedErr(fmt.Errorf("cluster: queue %q: put: %w", q.name, err))
		}
		if done == nil {
			// Listen for settled items, then try again before waiting, so
			// that an item settled in between is not missed.
			ch, stop, err := q.watchDone()
			if err != nil {
				return err
			}
			defer stop()
			done = ch
			continue
		}
		if err := q.waitChange(ctx, done); err != nil {
			return err
		}
		if q.state() != open {
			return ErrShutdown
		}
	}
}

func (q *Queue[T]) publish(data []byte) error {
	ctx, cancel := q.reqCtx()
	defer cancel()
	_, err := q.c.js.Publish(ctx, q.subject, data)
	return err
}

// isFull reports the server's refusal of a message beyond MaxMsgs.
func isFull(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.ErrorCode(10077) &&
		apiErr.Description == "maximum messages exceeded"
}

// waitChange waits for a sign that the queue may have changed: an item
// settled (a notice on done), a shutdown, or the recheck
// period. It returns ctx.Err() or ErrClosed if those come first.
func (q *Queue[T]) waitChange(ctx context.Context, done <-chan struct{}) error {
	t := time.NewTimer(recheck)
	defer t.Stop()
	shut := q.shut
	if q.state() != open {
		shut = nil // already closed: would wake at once, forever
	}
	select {
	case <-done:
	case m := <-q.shutMsgs:
		q.note(m)
	case <-shut:
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	case <-q.c.done:
		return ErrClosed
	}
	return nil
}

// watchDone subscribes to the notices of settled items. Notices coalesce:
// the channel holds at most one, since the waiter asks the server for the
// truth anyway, so a burst of TaskDones costs one question, and nothing is
// dropped as a slow consumer. stop ends the subscription (and the
// goroutine the NATS client runs for it).
func (q *Queue[T]) watchDone() (<-chan struct{}, func(), error) {
	ch := make(chan struct{}, 1)
	sub, err := q.c.nc.Subscribe(q.doneSubj, func(*nats.Msg) {
		select {
		case ch <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return nil, nil, q.c.closedErr(err)
	}
	return ch, func() { _ = sub.Unsubscribe() }, nil
}
