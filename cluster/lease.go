package cluster

import (
	"context"
	"sync/atomic"
	"time"
)

// lease is one held key: a lock, or one permit of a semaphore. While it is
// held, one goroutine rewrites the key every third of the TTL with a
// compare-and-set against the revision it wrote last, which restarts the
// server's TTL. The goroutine ends at release, at the lease's loss, or when
// the connection closes.
//
// The holder counts the lease's life from the moment it sent the write that
// last succeeded, which is before the server stored it, and ends it a tenth
// of the TTL early, so the holder's deadline falls before the server's: when
// the refreshes stop getting through, the holder declares the lease lost
// before the server lets another process take it (as long as the two clocks
// run at about the same rate and the holder's process is not paused).
type lease struct {
	b      *kvBucket
	key    string
	ttl    time.Duration
	token  uint64             // revision of the acquiring write
	rev    uint64             // revision written last; run's until done is closed
	lost   chan struct{}      // closed when the lease is lost
	cancel context.CancelFunc // stops run
	done   chan struct{}      // closed when run has returned
	paused *atomic.Bool       // test hook: skip refreshes while true
}

// startLease starts refreshing key, acquired at revision rev by a write sent
// at sent.
func startLease(b *kvBucket, key string, ttl time.Duration, rev uint64, sent time.Time, paused *atomic.Bool) *lease {
	ctx, cancel := context.WithCancel(context.Background())
	l := &lease{
		b: b, key: key, ttl: ttl, token: rev, rev: rev,
		lost: make(chan struct{}), cancel: cancel, done: make(chan struct{}),
		paused: paused,
	}
	go l.run(ctx, sent)
	return l
}

func (l *lease) run(ctx context.Context, sent time.Time) {
	defer close(l.done)
	expire := time.NewTimer(time.Until(sent.Add(l.life())))
	defer expire.Stop()
	tick := time.NewTicker(l.ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.b.c.done:
			close(l.lost)
			return
		case <-expire.C:
			close(l.lost)
			return
		case <-tick.C:
		}
		if l.paused != nil && l.paused.Load() {
			continue
		}
		now := time.Now()
		rctx, cancel := context.WithTimeout(ctx, min(l.b.c.timeout, l.ttl))
		rev, ok, err := l.b.write(rctx, l.key, nil, l.rev, l.ttl)
		cancel()
		switch {
		case ok:
			l.rev = rev
			expire.Reset(time.Until(now.Add(l.life())))
		case err == nil:
			// Another write came in between: the lease expired on the
			// server and someone else took the key (or deleted it).
			close(l.lost)
			return
		}
		// Any other error: try again at the next tick; expire decides.
	}
}

// life is how long after sending a write the holder trusts the lease.
func (l *lease) life() time.Duration { return l.ttl - l.ttl/10 }

// isLost reports whether the lease was declared lost.
func (l *lease) isLost() bool {
	select {
	case <-l.lost:
		return true
	default:
		return false
	}
}

// release stops refreshing and deletes the key if it is still this lease's,
// so that a waiter can take it at once. It returns ErrLeaseLost if the lease
// had been lost, and the revision of the delete marker (0 if none was
// written).
func (l *lease) release() (uint64, error) {
	l.cancel()
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), l.b.c.timeout)
	defer cancel()
	rev, ok, err := l.b.remove(ctx, l.key, l.rev)
	if l.isLost() || (err == nil && !ok) {
		return rev, ErrLeaseLost
	}
	return rev, err
}

// abandon stops refreshing and deletes the key on a best-effort basis.
func (l *lease) abandon() { _, _ = l.release() }
