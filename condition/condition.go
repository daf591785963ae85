package condition

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/syncprim/syncprim/internal/waitq"
)

// Panic messages.
const (
	msgZero       = "condition: use of zero Condition; create it with condition.New"
	msgWait       = "condition: cannot wait on un-acquired lock"
	msgNotify     = "condition: cannot notify on un-acquired lock"
	msgNegative   = "condition: negative count passed to NotifyN"
	msgNilContext = "condition: nil Context"
	msgNewNil     = "condition: New with a nil " // followed by the lock's type
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
	// Waiters stand in one of two lines, merged into one first-in
	// first-out order:
	//
	//   - parked: the waits that cannot be cancelled, on a lock whose
	//     release cannot panic (Wait over sync.Mutex, sync.RWMutex or an
	//     rlock.RLock). They sleep on the runtime's notify list, which is
	//     what sync.Cond is made of: no allocation, no mutex of ours, and
	//     it is why a plain Wait costs about what sync.Cond's does.
	//   - waiters: every other wait (a context that can end, or a lock
	//     whose release may panic), on the module's waiting layer, which
	//     lets a cancelled waiter leave the line at once and lets a Notify
	//     pass over waiters whose context ended first.
	//
	// Each listed waiter records how many parked waiters were ahead of it
	// (its Val); a Notify wakes it only once that many parked waiters have
	// been woken, so the merged order is the order of arrival.
	//
	// mu guards waiters. Guarding the list with a mutex of our own rather
	// than with the user's lock (as Python does) lets a cancelled waiter
	// leave at once, before it gets the lock back. mu is never held while
	// the user's lock is being acquired. It also makes go vet's copylocks
	// check reject copies of a Condition.
	mu      sync.Mutex
	waiters waitq.List[uint64]
	parked  ticketLine
	// listed is waiters.Len() plus the waits about to join it, written
	// under mu and read by Notify without it: when it is 0, no waiter is
	// listed, and none can be while the Notify holds the user's lock, so
	// the Notify leaves mu alone.
	listed atomic.Int64
	// queued counts the waiters of both lines not yet woken by a Notify,
	// so that a Notify with nobody to wake costs no more than a load. It is
	// guarded by the user's lock, which both Wait (when it queues) and
	// Notify hold. A waiter that leaves because its context ended is
	// uncounted only when it holds the lock again; until then a Notify
	// takes the slow path and finds nobody.
	queued int

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
// New panics if l is a nil pointer of one of the types above. The Unlock
// of a custom sync.Locker must not call back into the Condition: a waiting
// goroutine releases the lock while it holds the Condition's own mutex.
func New(l sync.Locker) *Condition {
	c := new(Condition)
	c.held.bind(l)
	c.parked.cond.L = (*parkLocker)(c)
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
	c.held.mustHold(msgWait)
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
// The context that ended first wins: a Notify made after ctx ended passes
// this waiter over and wakes the next one, and a waiter that a Notify picked
// before its context ended returns nil even though ctx is done. Either way
// no wake-up is lost. If ctx is already done on entry, WaitContext returns
// ctx.Err() at once without releasing the lock.
//
// WaitContext panics if ctx is nil, and like Wait if the caller does not
// hold the lock.
func (c *Condition) WaitContext(ctx context.Context) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	c.held.mustHold(msgWait)
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
	c.held.mustHold(msgWait)
	for !pred() {
		c.wait(context.Background())
		c.held.mustHold(msgWait)
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
// WaitForContext panics if ctx is nil, and like Wait if the caller does not
// hold the lock.
func (c *Condition) WaitForContext(ctx context.Context, pred func() bool) error {
	if ctx == nil {
		panic(msgNilContext)
	}
	c.held.mustHold(msgWait)
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
		c.held.mustHold(msgWait)
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
	c.held.mustHold(msgNotify)
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
	c.held.mustHold(msgNotify)
	if n < 0 {
		panic(msgNegative)
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
	c.held.mustHold(msgNotify)
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
	c.queued++
	// Count the waiter as listed and release the user's lock while holding
	// mu: a Notify made as soon as the lock is free then finds listed > 0,
	// takes mu, and so waits until Wait has queued the waiter.
	c.mu.Lock()
	c.listed.Add(1)
	ahead := c.parked.in.Load()
	depth := c.releaseLocked()
	_, err := c.waiters.Wait(ctx, &c.mu, ahead, c.left)
	c.held.restore(depth)
	if err != nil {
		c.queued-- // a Notify did not count this waiter
	}
	return err
}

// left runs under mu when a listed waiter leaves because its context ended.
func (c *Condition) left(uint64) { c.listed.Add(-1) }

// waitParked is wait for a context that never ends and a lock whose
// release cannot panic: the waiter joins the parked line (see ticketLine),
// which releases the lock once it has its ticket.
func (c *Condition) waitParked() {
	depth := c.held.depth()
	c.queued++
	c.parked.wait()
	c.held.restore(depth) // the Notify uncounted us
}

// parkLocker is a Condition as its parked line's Locker: the line releases
// the user's lock (every level) once the waiter has its ticket, and does not
// take it back on waking; waitParked does.
type parkLocker Condition

func (p *parkLocker) Lock()   {}
func (p *parkLocker) Unlock() { (*Condition)(p).held.release() }

// releaseLocked releases the user's lock for a waiter about to be listed,
// with mu held, and returns what restore needs. Should the lock's Unlock
// panic (a Lock unlocked behind our back, a custom Locker), the waiter is
// uncounted and mu released before the panic goes on.
func (c *Condition) releaseLocked() int {
	if c.held.safeRelease() {
		return c.held.release()
	}
	ok := false
	defer func() {
		if !ok {
			c.listed.Add(-1)
			c.mu.Unlock()
			c.queued--
		}
	}()
	depth := c.held.release()
	ok = true
	return depth
}

// notify wakes the n longest waiters (all if n < 0) and returns how many it
// woke (the count is for tests, which check that no wake-up is lost). The
// caller holds the lock.
func (c *Condition) notify(n int) int {
	if n == 0 || c.queued == 0 {
		return 0
	}
	if c.listed.Load() == 0 {
		k := c.parked.wake(n)
		c.queued -= k
		return k
	}
	c.mu.Lock()
	woken := c.wakeLocked(n)
	c.mu.Unlock()
	return woken
}

// wakeLocked wakes the n longest waiters (all if n < 0), listed or parked,
// in order of arrival, passing over listed waiters whose context has ended,
// and returns how many it woke; c.mu is held.
func (c *Condition) wakeLocked(n int) int {
	before := c.waiters.Len()
	woken := 0
	for ; woken != n; woken++ {
		if w := c.waiters.Front(); w != nil && c.parked.out.Load() >= w.Val {
			c.waiters.Take(w)
			w.Wake()
		} else if c.parked.wake(1) == 0 {
			break
		}
	}
	c.listed.Add(int64(c.waiters.Len() - before)) // taken and passed over
	c.queued -= woken
	return woken
}
