// Package lock provides Lock, Python's threading.Lock for Go: a mutual
// exclusion lock that any goroutine may release, whose acquisition can be
// tried without blocking or bounded by a context, and whose misuse panics
// with a recoverable error instead of killing the program.
//
// A Lock behaves like sync.Mutex on the fast path (one atomic
// compare-and-swap to lock, one to unlock, no allocation) and adds what
// Python's Lock has and sync.Mutex has not: LockContext, which gives up when
// its context ends without consuming the lock, Locked, which reports the
// state, and an Unlock of an unlocked Lock that panics with
// "lock: unlock of unlocked Lock" and leaves the Lock as it was.
//
// # Fairness
//
// Like sync.Mutex, a Lock lets a goroutine that arrives while the Lock is
// free take it ahead of goroutines already parked in Lock, because handing
// the Lock to a sleeping goroutine costs a context switch. No waiter starves:
// a waiter that has waited longer than a millisecond switches the Lock into
// starvation mode, in which every Unlock hands the Lock directly to the
// longest waiter and newcomers queue behind it.
//
// # Memory model
//
// For any Lock l, the n'th successful call to l.Unlock synchronizes before
// the return of the m'th successful l.Lock, l.TryLock or l.LockContext for
// any n < m, as for sync.Mutex. A failed TryLock or LockContext establishes
// no ordering.
package lock

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncprim/syncprim/internal/waitq"
)

// Lock is a mutual exclusion lock, Python's threading.Lock. The zero value is
// an unlocked Lock.
//
// A Lock is not owned by a goroutine: one goroutine may lock it and another
// unlock it. A Lock must not be copied after first use (go vet reports
// copies).
type Lock struct {
	// state is the lock word: mutexLocked, mutexWoken, mutexStarving and the
	// number of queued waiters above mutexWaiterShift. The waiter count and
	// mutexStarving change only with mu held; mutexLocked and mutexWoken also
	// change without it. Every change is a compare-and-swap of the whole word.
	state int32
	mu    sync.Mutex // guards q; under mu, the waiter count equals q.Len()
	q     waitq.List[waiting]
}

// waiting is what a parked goroutine and the goroutine that wakes it share.
type waiting struct {
	since   time.Time // when the waiter first queued, for starvation mode
	handoff bool      // the waker transferred ownership; the waiter holds the Lock
}

const (
	mutexLocked = 1 << iota // held
	// mutexWoken: a waiter was woken (or decided to give up) and is running;
	// Unlock need not wake another.
	mutexWoken
	// mutexStarving: Unlock hands the Lock to the front waiter directly, and
	// newcomers do not take it. Set only while the Lock is held and waiters
	// are queued; cleared when the last waiter leaves.
	mutexStarving
	mutexWaiterShift = iota
	mutexWaiter      = 1 << mutexWaiterShift

	// starvationThreshold is how long a waiter may be overtaken before the
	// Lock switches to direct hand-off (sync.Mutex uses the same).
	starvationThreshold = time.Millisecond
	// spinRounds bounds active spinning before a goroutine parks.
	spinRounds = 4
	// spinLoads is how many times one spin round polls the lock word.
	spinLoads = 30
)

// multicore reports whether spinning can help: on one CPU the holder cannot
// run while we spin.
var multicore = runtime.NumCPU() > 1

// Lock locks l. If l is already locked, Lock blocks until it is available.
// Lock cannot be cancelled; use LockContext for that.
func (l *Lock) Lock() {
	if atomic.CompareAndSwapInt32(&l.state, 0, mutexLocked) {
		return
	}
	_ = l.lockSlow(context.Background())
}

// TryLock tries to lock l without blocking and reports whether it succeeded.
// It fails while l is locked and while l is being handed to a waiter in
// starvation mode.
func (l *Lock) TryLock() bool {
	old := atomic.LoadInt32(&l.state)
	if old&(mutexLocked|mutexStarving) != 0 {
		return false
	}
	return atomic.CompareAndSwapInt32(&l.state, old, old|mutexLocked)
}

// LockContext locks l, blocking until it is available or ctx is done. On
// success it returns nil. On failure it returns ctx.Err() and leaves l
// unchanged; in particular it fails when ctx is already done, even if l is
// free, so a loop around LockContext stops once its context ends.
//
// If ctx ends at the moment l is handed to this caller, LockContext either
// returns nil holding l or returns ctx.Err() having passed l on; the Lock is
// never lost.
func (l *Lock) LockContext(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if atomic.CompareAndSwapInt32(&l.state, 0, mutexLocked) {
		return nil
	}
	return l.lockSlow(ctx)
}

// Unlock unlocks l. Any goroutine may unlock l, not only the one that locked
// it. Unlock panics with "lock: unlock of unlocked Lock" if l is not locked,
// leaving l unchanged. If goroutines are blocked in Lock, Unlock lets one of
// them proceed.
func (l *Lock) Unlock() {
	if atomic.CompareAndSwapInt32(&l.state, mutexLocked, 0) {
		return
	}
	l.unlockSlow()
}

// Locked reports whether l is locked. The answer may be stale by the time the
// caller looks at it; it is meant for assertions and diagnostics.
func (l *Lock) Locked() bool {
	return atomic.LoadInt32(&l.state)&mutexLocked != 0
}

// lockSlow is Lock's contended path, modelled on sync.Mutex: spin briefly
// while the holder runs, then park in FIFO order. awoke means this goroutine
// owns the mutexWoken bit and must clear it on every way out.
func (l *Lock) lockSlow(ctx context.Context) error {
	var since time.Time
	awoke := false
	spins := 0
	old := atomic.LoadInt32(&l.state)
	for {
		// Spin while the Lock is held in normal mode: the holder may release
		// it soon, and taking it now is cheaper than parking.
		if old&(mutexLocked|mutexStarving) == mutexLocked && multicore && spins < spinRounds {
			spins++
			for i := 0; i < spinLoads; i++ {
				if old = atomic.LoadInt32(&l.state); old&mutexLocked == 0 {
					break
				}
			}
			continue
		}
		if old&(mutexLocked|mutexStarving) == 0 {
			n := old | mutexLocked
			if awoke {
				n &^= mutexWoken
			}
			if atomic.CompareAndSwapInt32(&l.state, old, n) {
				return nil
			}
			old = atomic.LoadInt32(&l.state)
			continue
		}
		// The Lock is taken: give up if ctx has ended, otherwise park.
		if err := ctx.Err(); err != nil {
			if !awoke {
				return err
			}
			if l.dropWoken() {
				return nil
			}
			return err
		}
		if since.IsZero() {
			since = time.Now()
		}
		handoff, ok, err := l.park(ctx, since, awoke)
		if err != nil {
			return err
		}
		if handoff {
			return nil
		}
		awoke = awoke || ok // ok: woken, so we own mutexWoken; !ok: the Lock was free
		spins = 0
		old = atomic.LoadInt32(&l.state)
	}
}

// dropWoken gives up the mutexWoken bit of a woken waiter whose context has
// ended. If the Lock is free at that moment it takes it instead and reports
// true: the wake-up becomes the acquisition, so nothing is lost. Otherwise
// the holder's Unlock will wake the next waiter.
func (l *Lock) dropWoken() bool {
	for {
		old := atomic.LoadInt32(&l.state)
		if old&(mutexLocked|mutexStarving) == 0 {
			if atomic.CompareAndSwapInt32(&l.state, old, (old|mutexLocked)&^mutexWoken) {
				return true
			}
			continue
		}
		if atomic.CompareAndSwapInt32(&l.state, old, old&^mutexWoken) {
			return false
		}
	}
}

// park queues the caller and blocks until it is woken or ctx ends. It returns
// handoff when an Unlock in starvation mode transferred the Lock, ok when an
// Unlock woke the caller to compete for it again (the caller then owns
// mutexWoken), and neither when the Lock turned out to be free before the
// caller could queue (the caller keeps mutexWoken if it had it). A non-nil
// error means ctx ended while queued and nothing changed.
func (l *Lock) park(ctx context.Context, since time.Time, awoke bool) (handoff, ok bool, err error) {
	l.mu.Lock()
	starving := time.Since(since) > starvationThreshold
	for {
		old := atomic.LoadInt32(&l.state)
		if old&mutexLocked == 0 {
			// Released meanwhile (mutexStarving is never set on a free Lock).
			l.mu.Unlock()
			return false, false, nil
		}
		n := old + mutexWaiter
		if awoke {
			n &^= mutexWoken
		}
		if starving {
			n |= mutexStarving
		}
		if atomic.CompareAndSwapInt32(&l.state, old, n) {
			break
		}
	}
	w := l.q.Get()
	w.Val.since = since
	if awoke {
		// A waiter that was woken and lost the race keeps its place in line.
		l.q.PushFront(w)
	} else {
		l.q.PushBack(w)
	}
	l.mu.Unlock()
	if !l.q.Park(ctx, &l.mu, w) {
		// Cancelled while queued (mu held): nobody granted w, so only the
		// waiter count must be repaired.
		for {
			old := atomic.LoadInt32(&l.state)
			n := old - mutexWaiter
			if n>>mutexWaiterShift == 0 {
				n &^= mutexStarving
			}
			if atomic.CompareAndSwapInt32(&l.state, old, n) {
				break
			}
		}
		l.mu.Unlock()
		l.q.Put(w)
		return false, false, ctx.Err()
	}
	handoff = w.Val.handoff
	l.q.Put(w)
	return handoff, !handoff, nil
}

// unlockSlow is Unlock's path when waiters are queued, a waiter is awake, or
// the Lock is not locked at all.
func (l *Lock) unlockSlow() {
	for {
		old := atomic.LoadInt32(&l.state)
		if old&mutexLocked == 0 {
			panic("lock: unlock of unlocked Lock")
		}
		if old&mutexStarving != 0 {
			if l.handOff() {
				return
			}
			continue
		}
		n := old &^ mutexLocked
		if atomic.CompareAndSwapInt32(&l.state, old, n) {
			if n>>mutexWaiterShift != 0 && n&mutexWoken == 0 {
				l.wake()
			}
			return
		}
	}
}

// handOff passes the held Lock in starvation mode to the front waiter
// without ever marking it free, so no newcomer can take it in between. It
// reports false, changing nothing, if starvation mode ended before it got mu
// (the last waiter gave up).
func (l *Lock) handOff() bool {
	l.mu.Lock()
	// mutexStarving implies queued waiters, and neither changes while we hold
	// mu; only mutexWoken may flip beneath us.
	if atomic.LoadInt32(&l.state)&mutexStarving == 0 {
		l.mu.Unlock()
		return false
	}
	w := l.q.PopFront()
	stay := time.Since(w.Val.since) > starvationThreshold
	for {
		old := atomic.LoadInt32(&l.state)
		n := old - mutexWaiter
		if n>>mutexWaiterShift == 0 || !stay {
			n &^= mutexStarving
		}
		if atomic.CompareAndSwapInt32(&l.state, old, n) {
			break
		}
	}
	w.Val.handoff = true
	w.Wake()
	l.mu.Unlock()
	return true
}

// wake wakes the front waiter to compete for the Lock, unless the Lock has
// been taken again (its holder's Unlock will wake someone), a waiter is
// awake already, or the queue emptied.
func (l *Lock) wake() {
	l.mu.Lock()
	for {
		old := atomic.LoadInt32(&l.state)
		if old>>mutexWaiterShift == 0 || old&(mutexLocked|mutexWoken|mutexStarving) != 0 {
			break
		}
		if atomic.CompareAndSwapInt32(&l.state, old, (old-mutexWaiter)|mutexWoken) {
			w := l.q.PopFront()
			w.Val.handoff = false
			w.Wake()
			break
		}
	}
	l.mu.Unlock()
}
