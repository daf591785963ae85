package cluster

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// Shutdown shuts the queue down for every process, as Python 3.13's
// Queue.shutdown does, and returns once the server has recorded it (at most
// the Conn's request timeout per request). From then on every Put and TryPut,
// in every process, fails with ErrShutdown: the server itself refuses them,
// so no Put can slip in after Shutdown returns. Blocked Puts and Gets in
// every process connected at the time wake up.
//
// With immediate false, Gets go on returning the items still waiting and
// then fail with ErrShutdown; items held by workers still need their
// TaskDone.
//
// With immediate true, the items waiting are discarded, each counting as
// done (Join returns once the items held by workers are settled), and every
// Get fails with ErrShutdown at once. An item that comes back later (its
// worker died, or called Retry) is discarded too, by the next Get or Join.
//
// The state is kept in the queue's stream, so a process that opens the
// queue later sees it. A graceful shutdown may be followed by an immediate
// one; shutting down again is harmless. An error means the state could not
// be recorded, and nothing changed.
func (q *Queue[T]) Shutdown(immediate bool) error {
	want := shutGraceful
	if immediate {
		want = shutImmediate
	}
	ctx, cancel := q.reqCtx()
	defer cancel()
	info, err := q.st.Info(ctx)
	if err != nil {
		return q.c.closedErr(fmt.Errorf("cluster: shutdown %q: %w", q.name, err))
	}
	cfg := info.Config
	if cur := parseMode(cfg.Metadata[metaKey]); cur < want || len(cfg.Subjects) != 1 || cfg.Subjects[0] != q.closed {
		want = max(want, cur)
		cfg.Metadata = maps.Clone(cfg.Metadata)
		if cfg.Metadata == nil {
			cfg.Metadata = map[string]string{}
		}
		cfg.Metadata[metaKey] = modeNames[want]
		// Moving the stream off the Put subject makes the server refuse
		// every later Put (no responders), from every process at once.
		cfg.Subjects = []string{q.closed}
		if _, err := q.c.js.UpdateStream(ctx, cfg); err != nil {
			return q.c.closedErr(fmt.Errorf("cluster: shutdown %q: %w", q.name, err))
		}
	}
	q.setMode(want)
	_ = q.c.nc.Publish(q.shutSubj, []byte(modeNames[want]))
	if want == shutImmediate {
		if err := q.discard(ctx); err != nil {
			return err
		}
	}
	// Tell Joins and full Puts to look again.
	if err := q.c.nc.Publish(q.doneSubj, nil); err != nil {
		return q.c.closedErr(err)
	}
	return q.c.closedErr(q.c.nc.FlushWithContext(ctx))
}

// discard drops every item waiting to be taken, each counting as done.
func (q *Queue[T]) discard(ctx context.Context) error {
	for {
		m, err := q.pull(ctx, false)
		if errors.Is(err, ErrEmpty) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := q.ack(m, []byte("+TERM cluster: discarded by Shutdown(true)"), false); err != nil {
			return err
		}
	}
}
