package cluster

import "context"

// Join blocks until every item put in the queue, by any process, has been
// accounted for by TaskDone or Drop (or discarded by Shutdown(true)); it
// returns at once when nothing is unfinished. Join is exact: it returns only
// once the server holds no unfinished item, never on a count that lags. An
// item whose worker died counts until another worker settles it. It returns
// ErrClosed if the connection closes first.
func (q *Queue[T]) Join() error {
	return q.JoinContext(context.Background())
}

// JoinContext is Join that gives up when ctx is done, returning ctx.Err().
// It returns nil whatever the state of ctx when nothing is unfinished. A nil
// ctx panics.
//
// Join asks the server how many items the queue's stream holds: items leave
// it only when settled, so the count is exact (unlike a consumer's
// ack-pending count, which lags until the next pull). Items are never given
// a delivery limit, which would leave them in the stream for good. Between
// questions it waits for a notice from a TaskDone or Drop, or at most half
// a second.
func (q *Queue[T]) JoinContext(ctx context.Context) error {
	if ctx == nil {
		panic(errNilCtx)
	}
	done, stop, err := q.watchDone()
	if err != nil {
		return err
	}
	defer stop()
	for {
		if q.state() == shutImmediate {
			// Items that came back after Shutdown(true) (a dead worker's,
			// a Retry's) are discarded here if no Get is left to do it.
			rctx, cancel := q.reqCtx()
			err := q.discard(rctx)
			cancel()
			if err != nil {
				return err
			}
		}
		rctx, cancel := q.reqCtx()
		n, err := q.unfinished(rctx)
		cancel()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := q.waitChange(ctx, done); err != nil {
			return err
		}
	}
}
