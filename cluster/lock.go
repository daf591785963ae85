package cluster

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// closedChan is returned by Lost when there is no lease to lose.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Lock is a handle on a lock shared by every process that opens the same
// name on the same NATS server or cluster: Python's threading.Lock (or a
// multiprocessing manager's Lock) across processes, with a lease and a
// fencing token. At most one handle holds the lock at a time. Within a
// process, the handle is itself a lock: one goroutine may Lock it and another
// Unlock it, and a second Lock on a held handle waits for the Unlock. A Lock
// is safe for concurrent use and must not be copied after first use.
type Lock struct {
	b    *kvBucket
	name string
	ttl  time.Duration
	gate chan struct{} // full while this handle holds the lock or is taking it

	mu   sync.Mutex
	cur  *lease // the current hold; nil when not held
	hint uint64 // the key's latest revision as this handle last saw it

	paused atomic.Bool // test hook: stop refreshing
}

// OpenLock returns a handle on the lock called name (letters, digits, '-'
// and '_'), whose holders keep it by a lease of ttl, a whole number of
// seconds, at least one. Every process should use the same ttl for a name.
// Of the options, only Replicas applies: it sets the replication of the
// bucket that holds every lock, when OpenLock creates it. A bad name or ttl
// is rejected before anything is created. OpenLock blocks until the server
// answers or ctx is done; a nil ctx panics.
func OpenLock(ctx context.Context, c *Conn, name string, ttl time.Duration, opts ...Option) (*Lock, error) {
	if ctx == nil {
		panic(errNilCtx)
	}
	if c == nil {
		panic("cluster: OpenLock with a nil *Conn")
	}
	if err := checkName("lock", name); err != nil {
		return nil, err
	}
	if err := checkTTL("lock", name, ttl); err != nil {
		return nil, err
	}
	o := options{replicas: 1}
	for _, opt := range opts {
		opt.apply(&o)
	}
	b, err := openBucket(ctx, c, lockBucket, o)
	if err != nil {
		return nil, err
	}
	return &Lock{b: b, name: name, ttl: ttl, gate: make(chan struct{}, 1)}, nil
}

// Name returns the lock's name.
func (l *Lock) Name() string { return l.name }

// TTL returns the lease's length.
func (l *Lock) TTL() time.Duration { return l.ttl }

// Lock locks l, blocking until no other handle holds it or the connection
// closes (ErrClosed). It cannot be cancelled; use LockContext for that.
func (l *Lock) Lock() error { return l.LockContext(context.Background()) }

// TryLock tries to lock l without waiting for another holder and reports
// whether it succeeded. It fails at once while this handle or another holds
// l; it waits only for the server's answer (at most the Conn's request
// timeout, twice if the lock was released since this handle last looked).
func (l *Lock) TryLock() (bool, error) {
	select {
	case l.gate <- struct{}{}:
	default:
		return false, nil
	}
	t, ok, err := l.b.tryTake(l.name, l.currentHint(), l.ttl)
	if !ok {
		<-l.gate
		return false, err
	}
	l.hold(t)
	return true, nil
}

// LockContext locks l, blocking until no other handle holds it, ctx is done
// or the connection closes. On success it returns nil. On failure it returns
// ctx.Err() (or ErrClosed, or the server's error) and leaves l unlocked; it
// fails when ctx is already done, even if l is free. If ctx ends just as
// the lock is taken, LockContext gives it back and fails. A nil ctx panics.
//
// Waiting costs no polling: the handle watches the lock's key and tries
// again when the holder deletes it or its lease expires.
func (l *Lock) LockContext(ctx context.Context) error {
	if ctx == nil {
		panic(errNilCtx)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := l.enter(ctx); err != nil {
		return err
	}
	t, ok, err := l.b.tryTake(l.name, l.currentHint(), l.ttl)
	if err == nil && !ok {
		t, err = l.b.acquire(ctx, l.name, []string{l.name}, l.ttl)
	}
	if err != nil {
		<-l.gate
		return err
	}
	if ctx.Err() != nil { // the context ended first: give the lock back
		l.hold(t)
		_ = l.Unlock()
		return ctx.Err()
	}
	l.hold(t)
	return nil
}

// enter takes the handle's gate, which this process's goroutines pass one
// at a time.
func (l *Lock) enter(ctx context.Context) error {
	select {
	case l.gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-l.b.c.done:
		return ErrClosed
	}
}

func (l *Lock) currentHint() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hint
}

func (l *Lock) hold(t taken) {
	le := startLease(l.b, l.name, l.ttl, t.rev, t.sent, &l.paused)
	l.mu.Lock()
	l.cur, l.hint = le, 0 // never a revision this handle holds
	l.mu.Unlock()
}

// Unlock unlocks l: it stops refreshing the lease and deletes the lock's
// key, which wakes a waiting handle. Any goroutine may unlock l, not only
// the one that locked it. Unlock panics with "cluster: unlock of unlocked
// Lock" if this handle does not hold l, as the local lock does; another
// handle's hold cannot be released from here.
//
// If the lease was lost while held (see Lost), Unlock returns ErrLeaseLost:
// the holder's work between the loss and now was not protected. The handle
// is unlocked either way. Unlock waits for the server's answer, at most
// the Conn's request timeout; on a closed connection it returns ErrClosed.
func (l *Lock) Unlock() error {
	l.mu.Lock()
	le := l.cur
	l.cur = nil
	l.mu.Unlock()
	if le == nil {
		panic("cluster: unlock of unlocked Lock")
	}
	rev, err := le.release()
	if rev != 0 {
		l.mu.Lock()
		l.hint = rev
		l.mu.Unlock()
	}
	<-l.gate
	return err
}

// Token returns the fencing token of this handle's hold: a number that is
// larger for every successful acquisition of any lock of the server or
// cluster than for every earlier one (the revision of the key-value write
// that acquired it). Pass it to the storage the lock protects and have the
// storage refuse a write whose token is lower than one it has seen. Token
// returns 0 when this handle does not hold the lock.
func (l *Lock) Token() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return 0
	}
	return l.cur.token
}

// Lost returns a channel that is closed when this handle's hold loses its
// lease: a refresh found the key taken over or gone, no refresh got through
// for a whole TTL (counted from the sending of the last one that did), or
// the connection closed. The holder should stop acting on the lock's behalf
// at once. The channel stays open after a plain Unlock. When the handle does
// not hold the lock, Lost returns a closed channel.
func (l *Lock) Lost() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return closedChan
	}
	return l.cur.lost
}

// Close unlocks l if this handle holds it, ignoring errors, so that no
// goroutine of the handle is left. The handle may not be used afterwards.
func (l *Lock) Close() {
	l.mu.Lock()
	le := l.cur
	l.cur = nil
	l.mu.Unlock()
	if le != nil {
		le.abandon()
		<-l.gate
	}
}
