package condition

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/syncprim/syncprim/internal/waitq"
)

// Panic messages.
const (
	errZero     = "condition: use of zero Condition; create it with condition.New"
	errWait     = "condition: cannot wait on un-acquired lock"
	errNotify   = "condition: cannot notify on un-acquired lock"
	errNegative = "condition: negative count passed to NotifyN"
)

// Condition is a condition variable bound to a lock, Python's
// threading.Condition: goroutines holding the lock Wait for a state change
// that another goroutine, holding the same lock, announces with Notify,
// NotifyN or NotifyAll. Waiters are woken first-in first-out.
//
// Create a Condition with New; the zero value panics on use. A Condition
// must not be copied after first use.
//
// In the terminology of the Go memory model, a call to Notify, NotifyN or
// NotifyAll that wakes a waiter synchronizes before that waiter's Wait
// returns; and since Wait re-acquires the lock, everything written under the
// lock before the Notify is visible to the woken waiter.
type Condition struct {
	// mu guards waiters, the queue of the waits that can be cancelled
	// (and of every wait on a lock whose release may panic). Wait takes it
	// to queue and to cancel, Notify to dequeue. Guarding the list with a
	// mutex of our own rather than with the user's lock (as Python does)
	// lets a cancelled waiter leave the queue at once, before it gets the
	// lock back, and keeps the list intact even when a lock we cannot
	// check is misused. mu is never held while the user's lock is being
	// acquired. It also makes go vet's copylocks check reject copies of a
	// Condition.
	mu      sync.Mutex
	waiters waitq.List[struct{}]
	// listed is waiters.Len(), written under mu and read by Notify without
	// it: when it is 0, no waiter is listed, and none can be while the
	// Notify holds the user's lock, so the Notify leaves mu alone.
	listed atomic.Int64
	// queued counts the waiters queued and not yet woken by a Notify, so
	// that a Notify with nobody to wake costs no more than a load. It is
	// guarded by the user's lock, which both Wait (when it queues) and
	// Notify hold. A waiter that leaves on cancellation is taken out of
	// waiters at once but uncounted only when it holds the lock again; until
	// then a Notify takes the slow path and finds nobody.
	queued int

	// park is where the waits that cannot be cancelled sleep, on a lock
	// whose release cannot panic (see waitParked); its Locker is
	// parkLocker. parkedIn counts the waiters that ever parked there and
	// parkedOut those a Notify woke; both only grow, and only while the
	// user's lock is held (they are atomic for Waiters, in tests).
	park                sync.Cond
	parkedIn, parkedOut atomic.Uint64

	held heldLock
}

// New returns a Condition bound to the lock l. A nil l gives it a new
// *rlock.RLock, as Python's threading.Condition() makes a new RLock.
//
// Wait and Notify (and their variants) must be called with l held. Where l
// can tell, calling them without it panics before anything is released:
//
//   - *rlock.RLock: the calling goroutine must own it (RLock.Owned);
//   - *lock.Lock: it must be locked (Lock.Locked), by any goroutine, since a
//     Lock has no owner;
//   - *sync.Mutex and *sync.RWMutex (its write lock): it must be locked. The
//     check is a TryLock, so it catches a lock that nobody holds but cannot
//     tell which goroutine holds it;
//   - any other sync.Locker: not checked; calling them without the lock is
//     then a bug the Condition cannot report.
//
// New panics if l is a nil pointer of one of the types above.
func New(l sync.Locker) *Condition {
	c := new(Condition)
	c.held.bind(l)
	c.park.L = (*parkLocker)(c)
	return c
}

// Lock acquires the Condition's lock, as c.Locker().Lock() does. Lock,
// Unlock and Locker panic on a zero Condition, as every method does.
func (c *Condition) Lock() { c.held.locker().Lock() }

// Unlock releases the Condition's lock, as c.Locker().Unlock() does.
func (c *Condition) Unlock() { c.held.locker().Unlock() }

// Locker returns the lock the Condition is bound to: the l given to New, or
// the *rlock.RLock that New made.
func (c *Condition) Locker() sync.Locker { return c.held.locker() }

// Wait atomically queues the calling goroutine and releases the lock (every
// recursion level of an *rlock.RLock), blocks until a Notify, NotifyN or
// NotifyAll wakes it, then re-acquires the lock (at its former depth) and
// returns. It never returns spuriously.
//
// Wait panics if the caller does not hold the lock, where the lock can tell
// (see New); the lock is left untouched then.
func (c *Condition) Wait() {
	c.held.mustHold(errWait)
	if c.held.safeRelease() {
		c.waitParked() // what wait does for a context that never ends
		return
	}
	c.wait(context.Background())
}

// WaitContext is Wait with cancellation: it blocks until a Notify wakes it
// or ctx is done. It returns nil when notified, else ctx.Err(). Either way
// it re-acquires the lock before returning, blocking for it regardless of
// ctx, so the caller always holds the lock afterwards.
//
// A waiter that a Notify picked before its context ended returns nil even
// though ctx is done: the wake-up is never lost. A waiter that leaves on
// cancellation consumes no wake-up; a later Notify wakes the next waiter.
// If ctx is already done on entry, WaitContext returns ctx.Err() at once
// without releasing the lock.
//
// WaitContext panics like Wait if the caller does not hold the lock.
func (c *Condition) WaitContext(ctx context.Context) error {
	c.held.mustHold(errWait)
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.wait(ctx)
}

// WaitFor waits until pred returns true: it calls pred, and Wait while it
// returns false. pred is called by the calling goroutine with the lock held.
//
// WaitFor panics like Wait if the caller does not hold the lock.
func (c *Condition) WaitFor(pred func() bool) {
	c.held.mustHold(errWait)
	for !pred() {
		c.wait(context.Background())
		c.held.mustHold(errWait)
	}
}

// WaitForContext waits until pred returns true or ctx is done: it calls
// pred, and WaitContext while it returns false. It returns nil as soon as
// pred returns true, even if ctx is already done then (so an already
// satisfied predicate succeeds with any context). When ctx ends first, it
// calls pred once more, as Python's wait_for does after its timeout,
// returning nil if pred is true by then and ctx.Err() otherwise. pred is
// called by the calling goroutine with the lock held, and the lock is held
// when WaitForContext returns, whatever it returns.
//
// WaitForContext panics like Wait if the caller does not hold the lock.
func (c *Condition) WaitForContext(ctx context.Context, pred func() bool) error {
	c.held.mustHold(errWait)
	for !pred() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.wait(ctx); err != nil {
			if pred() {
				return nil
			}
			return err
		}
		c.held.mustHold(errWait)
	}
	return nil
}

// Notify wakes the goroutine that has waited longest on c, if any. It does
// not release the lock: the woken goroutine returns from Wait only once it
// re-acquires the lock.
//
// Notify panics if the caller does not hold the lock, where the lock can
// tell (see New).
func (c *Condition) Notify() {
	c.held.mustHold(errNotify)
	if c.queued != 0 {
		c.notify(1)
	}
}

// NotifyN wakes the n goroutines that have waited longest on c, or all of
// them if fewer are waiting. NotifyN(0) does nothing.
//
// NotifyN panics if n is negative, and like Notify if the caller does not
// hold the lock.
func (c *Condition) NotifyN(n int) {
	c.held.mustHold(errNotify)
	if n < 0 {
		panic(errNegative)
	}
	if c.queued != 0 && n != 0 {
		c.notify(n)
	}
}

// NotifyAll wakes every goroutine waiting on c. Goroutines that start
// waiting afterwards are not affected.
//
// NotifyAll panics like Notify if the caller does not hold the lock.
func (c *Condition) NotifyAll() {
	c.held.mustHold(errNotify)
	if c.queued != 0 {
		c.notify(-1)
	}
}

// wait queues the caller, releases the lock, parks, and re-acquires the
// lock. The caller holds the lock (checked).
func (c *Condition) wait(ctx context.Context) error {
	if ctx.Done() == nil && c.held.safeRelease() {
		c.waitParked()
		return nil
	}
	// Queue before releasing: a Notify made as soon as the lock is free
	// must find this waiter.
	c.queued++
	c.mu.Lock()
	w := c.waiters.Get()
	// The waiters parked so far are ahead of w: wakeLocked wakes w only
	// once parkedOut reaches w.N.
	w.N = int(c.parkedIn.Load())
	c.waiters.PushBack(w)
	c.listed.Add(1)
	c.mu.Unlock()

	depth := c.release(w)

	if c.waiters.Park(ctx, &c.mu, w) {
		c.waiters.Put(w)
		c.held.restore(depth) // the Notify uncounted w
		return nil
	}
	// Cancelled while still queued: nobody picked w, nothing to pass on.
	c.listed.Add(-1)
	c.mu.Unlock()
	c.waiters.Put(w)
	c.held.restore(depth)
	c.queued--
	return ctx.Err()
}

// waitParked is wait for a context that never ends and a lock whose
// release cannot panic. The waiter takes no place in waiters: it parks on
// c.park, the runtime's notify list that sync.Cond is made of, which is
// cheaper than a channel and needs no mu. It counts itself in parkedIn and
// takes its ticket of c.park while holding the user's lock (c.park.Wait
// releases the lock only after taking the ticket, see parkLocker), so the
// k-th parked waiter holds the k-th ticket, and c.park's k-th Signal wakes
// exactly it: a Notify wakes parked waiters in the order they queued,
// exactly as many as it counts in parkedOut. A Signal made before the
// waiter sleeps is kept, not lost, by its ticket. A listed waiter w queued
// after the first w.N parked ones is woken after them and before the rest.
func (c *Condition) waitParked() {
	depth := c.held.depth()
	c.queued++
	c.parkedIn.Add(1)
	c.park.Wait()         // takes the ticket, then releases the lock
	c.held.restore(depth) // the Notify uncounted us
}

// parkLocker is a Condition as its park's Locker: c.park.Wait releases the
// user's lock (every level) once it has its ticket, and does not take it
// back on waking; waitParked does.
type parkLocker Condition

func (p *parkLocker) Lock()   {}
func (p *parkLocker) Unlock() { (*Condition)(p).held.release() }

// release releases the lock for the queued waiter w and returns what
// restore needs. Should the lock's Unlock panic (a Lock unlocked behind our
// back, a custom Locker), w leaves the queue first, passing on a wake-up it
// may already have been given.
func (c *Condition) release(w *waitq.Waiter[struct{}]) int {
	if c.held.safeRelease() {
		return c.held.release()
	}
	ok := false
	defer func() {
		if !ok {
			c.abandon(w)
		}
	}()
	depth := c.held.release()
	ok = true
	return depth
}

// abandon takes the queued waiter w out of the queue after a failed release.
func (c *Condition) abandon(w *waitq.Waiter[struct{}]) {
	c.mu.Lock()
	if c.waiters.Remove(w) {
		c.listed.Add(-1)
		c.queued--
		c.mu.Unlock()
	} else {
		// A Notify picked w already: consume its wake-up and hand it on.
		c.mu.Unlock()
		c.waiters.Park(context.Background(), &c.mu, w)
		c.mu.Lock()
		c.wakeLocked(1)
		c.mu.Unlock()
	}
	c.waiters.Put(w)
}

// notify wakes the n longest waiters (all if n < 0) and returns how many it
// woke. The caller holds the lock.
func (c *Condition) notify(n int) int {
	if n == 0 || c.queued == 0 {
		return 0
	}
	if c.listed.Load() == 0 {
		return c.wakeParked(n)
	}
	c.mu.Lock()
	woken := c.wakeLocked(n)
	c.mu.Unlock()
	return woken
}

// wakeParked wakes the n longest parked waiters (all if n < 0) when no
// waiter is listed, and returns how many it woke. The caller holds the lock.
func (c *Condition) wakeParked(n int) int {
	out := c.parkedOut.Load()
	all := int(c.parkedIn.Load() - out)
	k := all
	if n >= 0 && n < k {
		k = n
	}
	if k <= 0 {
		return 0
	}
	if k == all {
		c.park.Broadcast()
	} else {
		for range k {
			c.park.Signal()
		}
	}
	c.parkedOut.Store(out + uint64(k))
	c.queued -= k
	return k
}

// wakeLocked wakes the n longest waiters (all if n < 0), listed or parked,
// and returns how many it woke; c.mu is held.
func (c *Condition) wakeLocked(n int) int {
	woken := 0
	for ; woken != n; woken++ {
		out := c.parkedOut.Load()
		if w := c.waiters.Front(); w != nil && out >= uint64(w.N) {
			c.waiters.Remove(w)
			c.listed.Add(-1)
			w.Wake()
		} else if c.parkedIn.Load() > out {
			c.park.Signal()
			c.parkedOut.Store(out + 1)
		} else {
			break
		}
	}
	c.queued -= woken
	return woken
}
