package cluster

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// onWatching, when set (by tests and benchmarks only), is called by every
// acquire once its watch is in place.
var onWatching func()

// taken is a key acquired by acquire: its revision and when the acquiring
// write was sent.
type taken struct {
	key  string
	rev  uint64
	sent time.Time
}

// tryTake tries once to take key, each server request bounded by the Conn's
// timeout rather than by the caller's context, so that a write the server
// made is never left unknown to this process.
func (b *kvBucket) tryTake(key string, hint uint64, ttl time.Duration) (taken, bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), b.c.timeout)
	defer cancel()
	sent := time.Now()
	rev, ok, err := b.take(ctx, key, hint, ttl)
	return taken{key: key, rev: rev, sent: sent}, ok, err
}

// acquire blocks until it takes one of keys, or ctx is done, or the
// connection closes. It watches the keys (filter matches them all) and
// tries a key again when the watch reports it deleted or expired; the
// watch's first report is each key's latest state, so nothing freed before
// the watch started is missed. As a safety net, it tries every key again
// after a TTL without news.
func (b *kvBucket) acquire(ctx context.Context, filter string, keys []string, ttl time.Duration) (taken, error) {
	if b.isClosed() {
		return taken{}, ErrClosed
	}
	// The client ties the watch to a goroutine that lives until the
	// context it was given is done: give it one that ends with this call.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.kv.Watch(ctx, filter)
	if err != nil {
		if ctx.Err() != nil {
			return taken{}, ctx.Err()
		}
		return taken{}, b.c.closedErr(err)
	}
	defer func() { _ = w.Stop() }()
	if onWatching != nil {
		onWatching()
	}
	backstop := time.NewTimer(ttl + time.Second)
	defer backstop.Stop()
	for {
		var t taken
		var ok bool
		select {
		case <-ctx.Done():
			return taken{}, ctx.Err()
		case <-b.c.done:
			return taken{}, ErrClosed
		case e, open := <-w.Updates():
			if !open {
				if ctx.Err() != nil {
					return taken{}, ctx.Err()
				}
				return taken{}, ErrClosed
			}
			if e == nil || e.Operation() == jetstream.KeyValuePut {
				continue // the end of the initial values, or a holder's write
			}
			t, ok, err = b.tryTake(e.Key(), e.Revision(), ttl)
		case <-backstop.C:
			for _, k := range keys {
				if t, ok, err = b.tryTake(k, 0, ttl); ok || err != nil {
					break
				}
			}
			backstop.Reset(ttl)
		}
		if err != nil {
			return taken{}, err
		}
		if ok {
			return t, nil
		}
	}
}

func (b *kvBucket) isClosed() bool {
	select {
	case <-b.c.done:
		return true
	default:
		return false
	}
}
